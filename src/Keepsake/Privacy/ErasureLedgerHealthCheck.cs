using System.Collections.Concurrent;
using Keepsake.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keepsake.Privacy;

/// <summary>
/// Ready only while every erasure ledger entry can be read: a restore replays the ledger, and an entry it
/// could not read would let an erased user come back. Entries never change once written, so each is read
/// once per process and only new keys are read on later probes.
/// </summary>
internal sealed class ErasureLedgerHealthCheck(IBlobStore store, ErasureLedger ledger) : IHealthCheck
{
    private readonly ConcurrentDictionary<string, bool> _readable = new(StringComparer.Ordinal);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var blob in store.ListAsync(ErasureLedger.Prefix, cancellationToken))
            {
                if (!_readable.ContainsKey(blob.Key))
                {
                    await ledger.ReadEntryAsync(blob.Key, cancellationToken);
                    _readable[blob.Key] = true;
                }
            }
            return HealthCheckResult.Healthy();
        }
        catch (InvalidDataException e)
        {
            return HealthCheckResult.Unhealthy(
                $"The erasure ledger cannot be read, so a restore could bring an erased user back: {e.Message} Repair or restore that object in the blob store.");
        }
    }
}
