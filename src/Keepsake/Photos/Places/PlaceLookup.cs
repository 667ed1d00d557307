namespace Keepsake.Photos.Places;

/// <summary>Sets a photo's place from its location, at ingest and in the back-fill alike.</summary>
public static class PlaceLookup
{
    /// <summary>Names the place of <paramref name="photo"/>'s GPS location (none without one) and marks it looked up.</summary>
    public static void Name(Photo photo, PlaceNames places)
    {
        var place = photo.Latitude is { } latitude && photo.Longitude is { } longitude ? places.Find(latitude, longitude) : null;
        photo.PlaceCity = place?.City;
        photo.PlaceRegion = place?.Region;
        photo.PlaceCountry = place?.Country;
        photo.PlaceCountryCode = place?.CountryCode;
        photo.PlaceLookedUp = true;
    }
}
