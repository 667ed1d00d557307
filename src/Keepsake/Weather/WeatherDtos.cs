using Keepsake.Photos;

namespace Keepsake.Weather;

public sealed record PhotoWeatherDto(Guid PhotoId, WeatherDto Weather);

/// <summary>For the admin page: whether weather is on, where it is asked, and how the queue is doing.</summary>
public sealed record WeatherStatusDto(
    bool Enabled,
    string Provider,
    int Queued,
    int WaitingForArchive,
    int Failing,
    double OldestAgeSeconds,
    string? LastFailure,
    int StoredPlaceDays);

public static class WeatherMapping
{
    public static WeatherDto ToDto(this WeatherHour hour)
    {
        var condition = WmoCodes.Describe(hour.WeatherCode);
        return new WeatherDto(
            hour.Hour,
            Measure(hour.TemperatureCelsius, "°C"),
            hour.WeatherCode,
            condition.Name,
            condition.Icon,
            Measure(hour.PrecipitationMillimetres, "mm"),
            Measure(hour.CloudCoverPercent, "%"),
            Measure(hour.WindSpeedKmh, "km/h"));
    }

    private static MeasureDto? Measure(double? value, string unit) => value is { } v ? new MeasureDto(v, unit) : null;
}
