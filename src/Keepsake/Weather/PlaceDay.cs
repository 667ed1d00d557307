using System.Globalization;
using Keepsake.Photos;

namespace Keepsake.Weather;

/// <summary>
/// A place rounded to 0.1° (about 11 km) and a UTC day: the unit the provider is asked about. Coordinates are
/// kept as whole tenths so that equal places are equal keys on every database.
/// </summary>
public readonly record struct PlaceDay(int LatitudeTenths, int LongitudeTenths, DateOnly Day)
{
    public string Latitude => (LatitudeTenths / 10.0).ToString("0.0", CultureInfo.InvariantCulture);

    public string Longitude => (LongitudeTenths / 10.0).ToString("0.0", CultureInfo.InvariantCulture);

    public override string ToString() => $"{Latitude},{Longitude} {Day:yyyy-MM-dd}";
}

/// <summary>A rounded place and a UTC hour: where a photo's weather is looked up.</summary>
public readonly record struct PlaceHour(int LatitudeTenths, int LongitudeTenths, DateTime Hour)
{
    public PlaceDay Day => new(LatitudeTenths, LongitudeTenths, DateOnly.FromDateTime(Hour));

    /// <summary>
    /// The place and UTC hour of a photo with GPS and a taken-at time, or null. When the camera did not record
    /// its UTC offset the time is local to the camera, so the offset is estimated from the longitude (15° an
    /// hour, the sun's time), which lands within an hour or two of the zone's clock.
    /// </summary>
    public static PlaceHour? Of(Photo photo)
    {
        if (photo.Latitude is not { } latitude || photo.Longitude is not { } longitude || photo.TakenAt is not { } taken)
        {
            return null;
        }
        var offsetMinutes = photo.TakenAtOffsetMinutes ?? (int)Math.Round(longitude / 15) * 60;
        var utc = DateTime.SpecifyKind(taken, DateTimeKind.Utc).AddMinutes(-offsetMinutes);
        return new PlaceHour(Tenths(latitude), Tenths(longitude), new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc));
    }

    private static int Tenths(double degrees) => (int)Math.Round(degrees * 10, MidpointRounding.AwayFromZero);
}
