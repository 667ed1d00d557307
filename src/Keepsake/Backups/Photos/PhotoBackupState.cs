using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>
/// Where the photos' second copy stands, for the admin page and the metrics: whether a target is set (and which, without
/// its credentials), the copies the database records, and the target's own record of its runs (see
/// <see cref="PhotoBackupRecord"/>). <see cref="Problem"/> says why the target could not be read; the rest still holds.
/// </summary>
public sealed record PhotoBackupStatusDto(
    bool Enabled,
    string? Target,
    long Copies,
    long CopiedBytes,
    long Generation,
    DateTimeOffset? LastRunAt,
    int LastRunFailed,
    DateTimeOffset? LastSuccessAt,
    string? Problem);

/// <summary>Reads <see cref="PhotoBackupStatusDto"/> from the database and the target, whoever ran the copies (this server, a CronJob, a person).</summary>
public sealed class PhotoBackupState(IServiceScopeFactory scopes, IOptions<PhotoBackupOptions> options)
{
    public async Task<PhotoBackupStatusDto> ReadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            return new PhotoBackupStatusDto(false, null, 0, 0, 0, null, 0, null, null);
        }
        long copies;
        long bytes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KeepsakeDbContext>();
            copies = await db.PhotoCopies.LongCountAsync(cancellationToken);
            bytes = await db.PhotoCopies.SumAsync(c => c.SizeBytes, cancellationToken);
        }
        try
        {
            using var target = settings.CreateTarget();
            var record = await PhotoBackupRecords.ReadAsync(target.Store, cancellationToken);
            return new PhotoBackupStatusDto(true, settings.Describe(), copies, bytes, record?.Generation ?? 0, record?.FinishedAt, record?.Failed ?? 0, record?.LastSuccessAt, null);
        }
        // Any failure to read the target is reported, not thrown: this is a status, and the database backup or the page stands without it.
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new PhotoBackupStatusDto(true, settings.Describe(), copies, bytes, 0, null, 0, null, $"the photo backup target cannot be read: {e.Message}");
        }
    }
}
