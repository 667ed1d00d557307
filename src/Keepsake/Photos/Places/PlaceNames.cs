using System.Diagnostics;

namespace Keepsake.Photos.Places;

/// <summary>
/// Names the place of a location from the place names embedded in the assembly, never a network service. The index is
/// loaded on first use, not at start (a server that never sees a photo with GPS never pays for it), then kept.
/// </summary>
public sealed partial class PlaceNames(ILogger<PlaceNames> logger)
{
    /// <summary>The embedded resource's name, set by the EmbedPlaceData target of Keepsake.csproj.</summary>
    internal const string ResourceName = "Keepsake.places.bin";

    private readonly Lazy<PlaceIndex> index = new(() => Load(logger), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The place of a location, or null when no populated place is within <see cref="PlaceIndex.MaxDistanceKm"/>.</summary>
    public Place? Find(double latitude, double longitude) => index.Value.Nearest(latitude, longitude);

    /// <summary>Reads the embedded index; for the bench, which measures it.</summary>
    public static PlaceIndex LoadEmbedded()
    {
        using var stream = typeof(PlaceNames).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no embedded resource {ResourceName}; it is built by the EmbedPlaceData target.");
        return PlaceIndex.Load(stream);
    }

    private static PlaceIndex Load(ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var loaded = LoadEmbedded();
        LogLoaded(logger, loaded.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return loaded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} place names in {Milliseconds:0} ms")]
    private static partial void LogLoaded(ILogger logger, int count, double milliseconds);
}
