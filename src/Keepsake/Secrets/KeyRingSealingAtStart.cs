using System.Data.Common;

namespace Keepsake.Secrets;

/// <summary>Seals keys left in the clear by an earlier release before the server reads its key ring.</summary>
internal sealed partial class KeyRingSealingAtStart(IServiceScopeFactory scopes, ILogger<KeyRingSealingAtStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<KeyRingReprotection>().ReprotectAsync(cancellationToken);
        }
        catch (DbException e)
        {
            // A PostgreSQL database not migrated yet has no keys to seal; the server waits for its schema anyway.
            LogSkipped(logger, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Session keys were not checked for sealing at start: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
