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
/// One photo after another of an import, each in a scope of its own (a long import does not grow one change tracker):
/// opened if it is a regular file inside the folder, staged, then stored with its row. An interruption stops the staging
/// (which leaves no staged file); a staged photo is stored to the end, so an interruption leaves it whole or absent, never
/// files without a row. A fault of Keepsake's own storage, a disk below the free-space margin, or the owner erased or
/// disabled stops the import: the photos after it could not be stored either.
/// </summary>
internal sealed partial class PhotoImport(IServiceProvider services, Guid ownerId, string ownerEmail, string root)
{
    private readonly ILogger<PhotoImport> _logger = services.GetRequiredService<ILogger<PhotoImport>>();

    /// <summary>The photo's outcome (a skip's reason is null for a duplicate), or why the import stops at it.</summary>
    public async Task<(Outcome Outcome, string? Reason, ImportStop? Stop)> ImportAsync(FileInfo file, string relative, CancellationToken cancellationToken)
    {
        try
        {
            var (outcome, reason, rejection) = await ImportOneAsync(file, cancellationToken);
            return rejection switch
            {
                { Status: StatusCodes.Status507InsufficientStorage } => (outcome, reason, Stopped(relative, "not enough free space", rejection.Detail)),
                not null when rejection == Rejection.OwnerGone => (outcome, reason, OwnerGone(relative)),
                _ => (outcome, reason, null),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (Outcome.Failed, null, ImportStop.Interrupted);
        }
        catch (Exception e) when (StorageFault.Classify(e) is { } fault)
        {
            return (Outcome.Failed, null, Stopped(relative, StorageFaults.What(fault), StorageFaults.Where(e)));
        }
        catch (Exception e)
        {
            // An erasure deletes the owner's files while this one is written; that failure is the erasure's doing, not a bug.
            if (await OwnerTakesPhotosAsync())
            {
                throw;
            }
            LogFailedWhileOwnerWent(_logger, e, relative);
            return (Outcome.Failed, null, OwnerGone(relative));
        }
    }

    private static ImportStop Stopped(string relative, string what, string detail) =>
        new($"stopped: {what}", $"the import stopped at {relative}: {what}: {detail}", ExitCodes.SomeFailed);

    private ImportStop OwnerGone(string relative) =>
        new($"stopped: {ownerEmail} was erased or disabled while the import ran", $"the import stopped at {relative}: {Rejection.OwnerGone.Detail}", ExitCodes.SomeFailed);

    private async Task<(Outcome Outcome, string? Reason, Rejection? Rejection)> ImportOneAsync(FileInfo file, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var ingestor = scope.ServiceProvider.GetRequiredService<PhotoIngestor>();
        Stream? opened;
        try
        {
            (opened, var skipReason) = RegularFile.Open(file.FullName, root);
            if (opened is null)
            {
                return (Outcome.Skipped, skipReason, null);
            }
        }
        catch (IOException e)
        {
            return (Outcome.Failed, "could not be read: " + e.Message, null);
        }
        catch (UnauthorizedAccessException)
        {
            return (Outcome.Failed, "permission denied", null);
        }
        StagedFile? staged;
        Rejection? rejection;
        await using (opened)
        {
            try
            {
                (staged, rejection) = await ingestor.StageAsync(opened, file.Name, cancellationToken);
            }
            // The photo's own disk failed; a fault of the staging folder's is a storage fault, which stops the import.
            catch (IOException e) when (StorageFault.Classify(e) is null)
            {
                return (Outcome.Failed, "could not be read: " + e.Message, null);
            }
        }
        if (staged is null)
        {
            return (Outcome.Failed, rejection!.Detail, rejection);
        }
        using (staged)
        {
            var result = await ingestor.IngestAsync(ownerId, [staged], CancellationToken.None);
            if (result.Rejection is not null)
            {
                return (Outcome.Failed, result.Rejection.Detail, result.Rejection);
            }
            return result.Photos[0].Duplicate ? (Outcome.Skipped, null, null) : (Outcome.Imported, null, null);
        }
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
