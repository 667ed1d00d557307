using Keepsake.Data;
using Keepsake.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

/// <summary>
/// Ready only while the server can store what it is sent: the database takes writes, the upload staging folder takes
/// writes, and both it and the data folder (file-system storage, whose writes the "storage" check tries) have at least
/// <see cref="PhotosOptions.MinimumFreeBytes"/> free. A replica that would answer every upload 503 or 507 is taken out of rotation, and comes back by itself once
/// an operator frees space or makes the storage writable again. The description names each folder and what is wrong.
/// </summary>
internal sealed class WritableStorageHealthCheck(
    KeepsakeDbContext db,
    IOptions<DatabaseOptions> database,
    IBlobStore blobs,
    UploadStaging staging,
    IOptions<PhotosOptions> photos) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string?>();
        var margin = photos.Value.MinimumFreeBytes;
        if (database.Value.SqliteFile is { } path)
        {
            problems.Add(SqliteFiles.WriteProblem(path));
            problems.Add(FreeSpaceProblem("the SQLite database's folder", Path.GetDirectoryName(path)!, margin));
        }
        else if (!database.Value.IsSqlite
            && await db.Database.SqlQueryRaw<string>("SELECT current_setting('transaction_read_only') AS \"Value\"").AsAsyncEnumerable().FirstAsync(cancellationToken) == "on")
        {
            problems.Add("the PostgreSQL database takes no writes (transaction_read_only is on: a standby, or a read-only default)");
        }
        if (blobs is FileSystemBlobStore files)
        {
            // Whether it takes writes is the blob store's own check ("storage").
            problems.Add(FreeSpaceProblem("the data folder", files.Root, margin));
        }
        string? stagingFolder = null;
        try
        {
            stagingFolder = staging.Folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"the upload staging folder cannot be made under {ScratchFolder.ParentOf(photos.Value.StagingPath)}: {e.Message} (set Photos:StagingPath to a folder Keepsake may write)");
        }
        if (stagingFolder is not null)
        {
            problems.Add(WritableFolder.Problem(stagingFolder) ?? FreeSpaceProblem("the upload staging folder", stagingFolder, margin));
        }
        var found = problems.OfType<string>().ToList();
        return found.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", found));
    }

    private static string? FreeSpaceProblem(string what, string folder, long margin)
    {
        var free = WritableFolder.FreeBytes(folder);
        return free < margin
            ? $"{what} {folder} has {free} bytes free, less than Photos:MinimumFreeBytes ({margin})"
            : null;
    }
}
