namespace Keepsake.Weather;

/// <summary>A WMO weather interpretation code (WW) as a person reads it, and the name of the icon the web app draws for it.</summary>
public sealed record WeatherCondition(string Name, string Icon);

/// <summary>The codes Open-Meteo reports, from its documentation of <c>weather_code</c>.</summary>
public static class WmoCodes
{
    public static WeatherCondition Describe(int? code) => code switch
    {
        0 => new("Clear sky", "clear"),
        1 => new("Mainly clear", "mostly-clear"),
        2 => new("Partly cloudy", "partly-cloudy"),
        3 => new("Overcast", "overcast"),
        45 => new("Fog", "fog"),
        48 => new("Depositing rime fog", "fog"),
        51 => new("Light drizzle", "drizzle"),
        53 => new("Moderate drizzle", "drizzle"),
        55 => new("Dense drizzle", "drizzle"),
        56 => new("Light freezing drizzle", "freezing-rain"),
        57 => new("Dense freezing drizzle", "freezing-rain"),
        61 => new("Slight rain", "rain"),
        63 => new("Moderate rain", "rain"),
        65 => new("Heavy rain", "rain"),
        66 => new("Light freezing rain", "freezing-rain"),
        67 => new("Heavy freezing rain", "freezing-rain"),
        71 => new("Slight snowfall", "snow"),
        73 => new("Moderate snowfall", "snow"),
        75 => new("Heavy snowfall", "snow"),
        77 => new("Snow grains", "snow"),
        80 => new("Slight rain showers", "showers"),
        81 => new("Moderate rain showers", "showers"),
        82 => new("Violent rain showers", "showers"),
        85 => new("Slight snow showers", "snow"),
        86 => new("Heavy snow showers", "snow"),
        95 => new("Thunderstorm", "thunderstorm"),
        96 => new("Thunderstorm with slight hail", "thunderstorm"),
        99 => new("Thunderstorm with heavy hail", "thunderstorm"),
        _ => new("Unknown", "unknown"),
    };
}
