using Keepsake.Photos.Places;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Places;

/// <summary>Naming places offline from the GeoNames place names embedded in the server.</summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class PlaceIndexTests
{
    private static readonly Lazy<PlaceIndex> Index = new(PlaceNames.LoadEmbedded);

    [Fact]
    public void The_embedded_place_names_hold_every_populated_place_of_cities500()
    {
        Assert.InRange(Index.Value.Count, 150_000, 250_000);
    }

    [Fact]
    public void A_photo_by_the_Eiffel_Tower_is_in_Paris_not_in_the_smaller_town_whose_centre_is_nearer()
    {
        Assert.Equal(new Place("Paris", "Île-de-France", "France", "FR"), Index.Value.Nearest(48.8583, 2.2945));
    }

    [Fact]
    public void A_photo_by_Westminster_Abbey_is_in_London_not_in_one_of_its_parts()
    {
        Assert.Equal(new Place("London", "England", "United Kingdom", "GB"), Index.Value.Nearest(51.4993, -0.1273));
    }

    [Fact]
    public void Places_regions_and_countries_are_named_in_English()
    {
        Assert.Equal(new Place("Munich", "Bavaria", "Germany", "DE"), Index.Value.Nearest(48.137, 11.575));
    }

    [Fact]
    public void A_country_is_named_as_people_say_it_not_by_its_official_long_form()
    {
        Assert.Equal("United States", Index.Value.Nearest(37.3927, -122.041)?.Country);
        Assert.Equal("Russia", Index.Value.Nearest(55.7558, 37.6173)?.Country);
    }

    [Fact]
    public void A_photo_far_from_any_town_has_no_place()
    {
        Assert.Null(Index.Value.Nearest(0, -30));
        Assert.Null(Index.Value.Nearest(-89.9, 0));
        Assert.Null(Index.Value.Nearest(89.9, 179.9));
    }

    [Fact]
    public void A_photo_just_within_reach_of_a_town_is_in_it_and_one_just_beyond_is_not()
    {
        // Longyearbyen, Svalbard (78.2233, 15.6469): the only town for far around. 0.25° of latitude is 27.8 km, 0.3° is 33.4 km.
        Assert.Equal("Longyearbyen", Index.Value.Nearest(78.2233 + 0.25, 15.6469)?.City);
        Assert.Null(Index.Value.Nearest(78.2233 + 0.30, 15.6469));
    }
}
