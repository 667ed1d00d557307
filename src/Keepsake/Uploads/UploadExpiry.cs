using Keepsake.Data;
using Keepsake.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Uploads;

/// <summary>Removes uploads past <see cref="PendingUpload.ExpiresAt"/>, rows first and then their parts (as a termination does).</summary>
public sealed class UploadExpiry(KeepsakeDbContext db, UploadParts parts, TimeProvider time)
{
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expired = await db.PendingUploads.AsNoTracking().Where(u => u.ExpiresAt <= now).Select(u => new { u.Id, u.OwnerId }).ToListAsync(cancellationToken);
        foreach (var upload in expired)
        {
            await UploadsApi.RemoveAsync(db, parts, upload.OwnerId, upload.Id);
        }
        return expired.Count;
    }
}

/// <summary>
/// Every server sweeps expired uploads every <see cref="UploadsOptions.SweepInterval"/>: replicas sweeping at once do no
/// harm (each removal is of rows and parts that are gone either way).
/// </summary>
internal sealed partial class UploadExpiryScheduler(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<UploadsOptions> options, ILogger<UploadExpiryScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicJob.RunAsync("upload expiry", options.Value.SweepInterval, clock, logger, SweepOnceAsync, stoppingToken);

    private async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var removed = await scope.ServiceProvider.GetRequiredService<UploadExpiry>().RemoveExpiredAsync(cancellationToken);
        if (removed > 0)
        {
            LogRemoved(logger, removed, options.Value.Expiry);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} unfinished uploads left for longer than {Expiry}")]
    private static partial void LogRemoved(ILogger logger, int count, TimeSpan expiry);
}
