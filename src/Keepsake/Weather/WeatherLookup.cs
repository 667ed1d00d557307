using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Weather;

/// <summary>The stored weather of photos' hours; a photo without a place, a time, or fetched weather simply has none.</summary>
public sealed class WeatherLookup(KeepsakeDbContext db) : IPhotoWeather
{
    public async Task<IReadOnlyDictionary<Guid, WeatherDto>> ForPhotosAsync(IReadOnlyCollection<Photo> photos, CancellationToken cancellationToken)
    {
        var places = photos.Select(p => (p.Id, Place: PlaceHour.Of(p))).Where(p => p.Place is not null).Select(p => (p.Id, Place: p.Place!.Value)).ToList();
        if (places.Count == 0)
        {
            return new Dictionary<Guid, WeatherDto>();
        }
        var hours = places.Select(p => p.Place.Hour).Distinct().ToList();
        var latitudes = places.Select(p => p.Place.LatitudeTenths).Distinct().ToList();
        var stored = (await db.WeatherHours.AsNoTracking()
                .Where(h => hours.Contains(h.Hour) && latitudes.Contains(h.LatitudeTenths))
                .ToListAsync(cancellationToken))
            .ToDictionary(h => new PlaceHour(h.LatitudeTenths, h.LongitudeTenths, h.Hour));
        return places
            .Where(p => stored.ContainsKey(p.Place))
            .ToDictionary(p => p.Id, p => stored[p.Place].ToDto());
    }
}
