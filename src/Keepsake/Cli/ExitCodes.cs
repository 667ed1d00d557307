namespace Keepsake.Cli;

/// <summary>What every verb's exit code says, so a script or a Job can tell what happened without reading the output.</summary>
internal static class ExitCodes
{
    /// <summary>Everything was done.</summary>
    public const int Done = 0;

    /// <summary>The verb ran, but some of its items failed or it stopped early; its output says which and why.</summary>
    public const int SomeFailed = 1;

    /// <summary>The verb could not run: wrong arguments or settings, or a fault of the storage it needs.</summary>
    public const int CouldNotRun = 2;

    /// <summary>Another run of the same verb holds its lock (a person's, a CronJob's or the server's timer): this one did nothing.</summary>
    public const int AlreadyRunning = 3;

    /// <summary>SIGINT or SIGTERM stopped it (128 + SIGINT, as shells report an interrupted command).</summary>
    public const int Interrupted = 130;
}
