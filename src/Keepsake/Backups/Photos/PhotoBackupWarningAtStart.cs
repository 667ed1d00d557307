using Microsoft.Extensions.Options;

namespace Keepsake.Backups.Photos;

/// <summary>Says once, as the server starts, that the photos have no second copy while <c>Backups:Photos</c> is off.</summary>
internal sealed partial class PhotoBackupWarningAtStart(IOptions<PhotoBackupOptions> options, ILogger<PhotoBackupWarningAtStart> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            NoSecondCopy(logger, PhotoBackupOptions.Section);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The photos have no second copy: {Section}:Provider is 'none', so the database backups point at originals that exist only in primary storage. Set it to 'filesystem' (with {Section}:Path) or 's3' and run 'keepsake backup photos'.")]
    private static partial void NoSecondCopy(ILogger logger, string section);
}
