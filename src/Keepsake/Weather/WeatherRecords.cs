namespace Keepsake.Weather;

/// <summary>A place-day waiting to be fetched. At most one row per place-day; a replica owns it while <see cref="ClaimedUntil"/> is ahead.</summary>
public sealed class WeatherQueueItem
{
    public int LatitudeTenths { get; set; }

    public int LongitudeTenths { get; set; }

    public DateOnly Day { get; set; }

    /// <summary>Since when the place-day can be fetched: when it was queued, or when the archive will hold the day.</summary>
    public DateTime WaitingSince { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? ClaimedUntil { get; set; }

    public int Attempts { get; set; }

    /// <summary>The outcome of the last failed attempt (one of a few fixed words), for the admin page.</summary>
    public string? LastOutcome { get; set; }

    public PlaceDay Key => new(LatitudeTenths, LongitudeTenths, Day);
}

/// <summary>A place-day whose hours are stored: never asked again.</summary>
public sealed class WeatherDay
{
    public int LatitudeTenths { get; set; }

    public int LongitudeTenths { get; set; }

    public DateOnly Day { get; set; }

    public DateTime FetchedAt { get; set; }
}

/// <summary>One hour of weather at a rounded place, in the provider's default units.</summary>
public sealed class WeatherHour
{
    public int LatitudeTenths { get; set; }

    public int LongitudeTenths { get; set; }

    /// <summary>The start of the hour, UTC.</summary>
    public DateTime Hour { get; set; }

    /// <summary>Air temperature 2 m above ground, °C.</summary>
    public double? TemperatureCelsius { get; set; }

    /// <summary>WMO weather interpretation code (0 clear … 99 thunderstorm with hail).</summary>
    public int? WeatherCode { get; set; }

    /// <summary>Rain, showers and snow of the preceding hour, mm.</summary>
    public double? PrecipitationMillimetres { get; set; }

    /// <summary>Total cloud cover, %.</summary>
    public double? CloudCoverPercent { get; set; }

    /// <summary>Wind speed 10 m above ground, km/h.</summary>
    public double? WindSpeedKmh { get; set; }
}
