using System.Runtime.InteropServices;

namespace Keepsake.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (what Kubernetes and systemd send) while a verb runs. The first asks the verb to stop
/// (<see cref="Token"/>): it stops at its next safe point, cleans up and exits 130. Nothing forces it out meanwhile, so
/// a step that must not be cut (a restore's switch and erasure replay) is never cut by a first signal. A second signal
/// ends the process at once, as a kill does; the next run removes its scratch folders.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The first signal, <c>SIGINT</c> or <c>SIGTERM</c>; null while none came.</summary>
    public string? Signal { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            // Not cancelled: the signal does what it does by default, ending the process.
            return;
        }
        context.Cancel = true;
        Signal = context.Signal.ToString();
        Console.Error.WriteLine($"{Signal}: stopping at the next safe point; send it again to stop at once");
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The verb ended just now; nothing is left to stop.
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stop.Dispose();
    }
}
