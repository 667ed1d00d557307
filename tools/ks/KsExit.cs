namespace Keepsake.Ks;

/// <summary>What ks's exit code says, as for the app's verbs.</summary>
internal static class KsExit
{
    public const int Done = 0;

    /// <summary>A command ran and failed, or a check found something missing; the output says what.</summary>
    public const int Failed = 1;

    /// <summary>ks would not run it: wrong arguments, an unknown stage, or a stage that changes only through Git.</summary>
    public const int Refused = 2;

    public const int Interrupted = 130;
}
