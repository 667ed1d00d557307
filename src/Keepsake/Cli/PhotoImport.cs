using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Cli;

/// <summary>What became of one photo of an import.</summary>
internal enum Outcome
{
    Imported,
    Skipped,
    Failed,
}

/// <summary>Why an import ended before its folder did: the words its summary line ends with, a line for standard error, and its exit code.</summary>
internal sealed record ImportStop(string Reason, string? Error, int ExitCode)
{
    public static ImportStop Interrupted { get; } = new("interrupted", null, ExitCodes.Interrupted);
}

/// <summary>
/// One photo of an import after its check: its outcome (a skip's reason is null for a duplicate), or a photo
/// <see cref="Ready"/> to store, or why the import stops at it. Disposing it removes what it staged.
/// </summary>
internal sealed record CheckedPhoto(string Relative, Outcome Outcome, string? Reason, ReadyPhoto? Ready, ImportStop? Stop) : IDisposable
{
    public void Dispose() => Ready?.File.Dispose();
}

/// <summary>
/// The two steps of importing one photo. <see cref="CheckAsync"/>, run for several photos at once, opens it if it is a
/// regular file inside the folder, stages it (hashing it on the way) and checks and renders it, each in a scope of its
/// own; nothing is stored. <see cref="AddAsync"/> and <see cref="StoreAsync"/> then write the files of checked photos in
/// their order and commit their rows in batches (see <see cref="ImportPipeline"/>). A fault of Keepsake's own storage, a
/// disk below the free-space margin, or the owner erased or disabled stops the import: the photos after it could not be
/// stored either.
/// </summary>
internal sealed partial class PhotoImport(IServiceProvider services, Guid ownerId, string ownerEmail, string root)
{
    private readonly ILogger<PhotoImport> _logger = services.GetRequiredService<ILogger<PhotoImport>>();

    public async Task<CheckedPhoto> CheckAsync(string path, string relative, CancellationToken cancellationToken)
    {
        try
        {
            var (outcome, reason, ready, rejection) = await CheckOneAsync(path, cancellationToken);
            return rejection switch
            {
                { Status: StatusCodes.Status507InsufficientStorage } => new(relative, outcome, reason, null, Stopped(relative, "not enough free space", rejection.Detail)),
                _ => new(relative, outcome, reason, ready, null),
            };
        }
        catch (Exception e)
        {
            return new CheckedPhoto(relative, Outcome.Failed, null, null, await StopForAsync(e, relative, cancellationToken));
        }
    }

    /// <summary>Writes the files of a checked photo into <paramref name="batch"/>; null, or why the import stops at it (nothing of it is left then).</summary>
    public async Task<ImportStop?> AddAsync(ImportBatch batch, ReadyPhoto ready, string relative)
    {
        try
        {
            await batch.Ingestor.AddAsync(batch.Prepared, ready, CancellationToken.None);
            batch.Members.Add(relative);
            return null;
        }
        catch (Exception e)
        {
            return await StopForAsync(e, relative, CancellationToken.None);
        }
    }

    /// <summary>
    /// Commits the rows of a batch whose files are written: what became of each of its photos, in order, or why the import
    /// stops at its first photo (the batch's files are deleted then). Not cancelled: an interruption waits for it.
    /// </summary>
    public async Task<(IReadOnlyList<IngestedPhoto>? Stored, ImportStop? Stop)> StoreAsync(ImportBatch batch)
    {
        try
        {
            var stored = await batch.Ingestor.StoreAsync(ownerId, batch.Prepared, CancellationToken.None);
            return stored is null ? (null, OwnerGone(batch.Members[0])) : (stored, null);
        }
        catch (Exception e)
        {
            await batch.Ingestor.DeleteWrittenAsync(batch.Prepared);
            return (null, await StopForAsync(e, batch.Members[0], CancellationToken.None));
        }
    }

    /// <summary>A batch of its own scope, so a long import does not grow one change tracker.</summary>
    public ImportBatch NewBatch() => new(services.CreateAsyncScope());

    /// <summary>Why the import stops at a photo whose step threw <paramref name="e"/>; rethrows what is a bug.</summary>
    private async Task<ImportStop> StopForAsync(Exception e, string relative, CancellationToken cancellationToken)
    {
        if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return ImportStop.Interrupted;
        }
        if (StorageFault.Classify(e) is { } fault)
        {
            return Stopped(relative, StorageFaults.What(fault), StorageFaults.Where(e));
        }
        // An erasure deletes the owner's files while this one is written; that failure is the erasure's doing, not a bug.
        if (await OwnerTakesPhotosAsync())
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
        LogFailedWhileOwnerWent(_logger, e, relative);
        return OwnerGone(relative);
    }

    private static ImportStop Stopped(string relative, string what, string detail) =>
        new($"stopped: {what}", $"the import stopped at {relative}: {what}: {detail}", ExitCodes.SomeFailed);

    private ImportStop OwnerGone(string relative) =>
        new($"stopped: {ownerEmail} was erased or disabled while the import ran", $"the import stopped at {relative}: {Rejection.OwnerGone.Detail}", ExitCodes.SomeFailed);

    private async Task<(Outcome Outcome, string? Reason, ReadyPhoto? Ready, Rejection? Rejection)> CheckOneAsync(string path, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var ingestor = scope.ServiceProvider.GetRequiredService<PhotoIngestor>();
        Stream? opened;
        try
        {
            (opened, var skipReason) = RegularFile.Open(path, root);
            if (opened is null)
            {
                return (Outcome.Skipped, skipReason, null, null);
            }
        }
        catch (IOException e)
        {
            return (Outcome.Failed, "could not be read: " + e.Message, null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return (Outcome.Failed, "permission denied", null, null);
        }
        StagedFile? staged;
        Rejection? rejection;
        await using (opened)
        {
            try
            {
                (staged, rejection) = await ingestor.StageAsync(opened, Path.GetFileName(path), cancellationToken);
                if (staged is not null && opened is FileStream source)
                {
                    staged.ModifiedAt = File.GetLastWriteTimeUtc(source.SafeFileHandle);
                }
            }
            // The photo's own disk failed; a fault of the staging folder's is a storage fault, which stops the import.
            catch (IOException e) when (StorageFault.Classify(e) is null)
            {
                return (Outcome.Failed, "could not be read: " + e.Message, null, null);
            }
        }
        if (staged is null)
        {
            return (Outcome.Failed, rejection!.Detail, null, rejection);
        }
        CheckedFile checkedFile;
        try
        {
            checkedFile = await ingestor.CheckAsync(ownerId, staged, cancellationToken);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
        if (checkedFile.Ready is { } ready)
        {
            return (Outcome.Imported, null, ready, null);
        }
        staged.Dispose();
        return checkedFile.Existing is not null
            ? (Outcome.Skipped, null, null, null)
            : (Outcome.Failed, checkedFile.Rejection!.Detail, null, checkedFile.Rejection);
    }

    private async Task<bool> OwnerTakesPhotosAsync()
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>().Users
            .AnyAsync(u => u.Id == ownerId && u.LockoutEnd != KeepsakeUser.DisabledUntil);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Importing {File} failed while its owner was being erased or disabled; the import stops")]
    private static partial void LogFailedWhileOwnerWent(ILogger logger, Exception exception, string file);
}

/// <summary>Checked photos whose files are written and whose rows are not committed yet, with the scope they are stored in.</summary>
internal sealed class ImportBatch(AsyncServiceScope scope) : IAsyncDisposable
{
    public PhotoIngestor Ingestor { get; } = scope.ServiceProvider.GetRequiredService<PhotoIngestor>();

    public PreparedBatch Prepared { get; } = new();

    /// <summary>The photos of the batch, as their paths below the folder, in order.</summary>
    public List<string> Members { get; } = [];

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
