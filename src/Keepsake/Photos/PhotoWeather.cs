namespace Keepsake.Photos;

/// <summary>
/// The weather of photos, for their details. Photos owns the question and the answer's shape; the Weather feature
/// answers it (it stands on Photos, so Photos never imports it).
/// </summary>
public interface IPhotoWeather
{
    /// <summary>The weather of each photo whose place and hour are known and fetched; the others are left out.</summary>
    Task<IReadOnlyDictionary<Guid, WeatherDto>> ForPhotosAsync(IReadOnlyCollection<Photo> photos, CancellationToken cancellationToken);
}

public sealed record MeasureDto(double Value, string Unit);

/// <summary>The weather of a photo's hour at its rounded place; the condition and icon come from the WMO code.</summary>
public sealed record WeatherDto(
    DateTime Hour,
    MeasureDto? Temperature,
    int? WeatherCode,
    string Condition,
    string Icon,
    MeasureDto? Precipitation,
    MeasureDto? CloudCover,
    MeasureDto? Wind);
