using System.Buffers.Text;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos.Places;

/// <summary>
/// One place of the signed-in user's photos: how many of the main timeline's photos were taken there, and the newest
/// of them as its cover. <see cref="Region"/> is null where GeoNames names none.
/// </summary>
public sealed record PlaceSummaryDto(string CountryCode, string Country, string? Region, string City, int Count, PhotoSummaryDto Cover);

/// <summary>Places ordered by country, then city, then region: a client groups them by country as they come.</summary>
public sealed record PlacePageDto(IReadOnlyList<PlaceSummaryDto> Items, string? NextCursor);

/// <summary>The places of a user's photos, and the photos of one place.</summary>
public static class PlacesApi
{
    public const int MaxNameLength = 200;

    public static RouteGroupBuilder MapPlaces(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/places").WithTags("Places").RequireAuthorization();
        group.MapGet("/", GetPlacesAsync).WithName("GetPlaces");
        group.MapGet("/photos", GetPlacePhotosAsync).WithName("GetPlacePhotos");
        return group;
    }

    /// <summary>
    /// The places of the signed-in user's main timeline (neither archived nor in the trash, as the timeline), by country,
    /// city and region, each with its count and cover; paged by <paramref name="cursor"/>, at most <paramref name="limit"/>
    /// places a page.
    /// </summary>
    public static async Task<Results<Ok<PlacePageDto>, ProblemHttpResult>> GetPlacesAsync(
        HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var size = limit ?? PhotosApi.DefaultPageSize;
        if (size is < 1 or > PhotosApi.MaxPageSize)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid page size",
                detail: $"'limit' must be between 1 and {PhotosApi.MaxPageSize}.");
        }
        PlaceKey? after = null;
        if (cursor is not null)
        {
            if (!PlaceKey.TryDecode(cursor, out var decoded))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid cursor",
                    detail: "The 'cursor' is not one this server issued; start again from the first page.");
            }
            after = decoded;
        }
        var ownerId = context.User.UserId();
        var placed = TimelineView.Of(db, ownerId, favorite: null, archived: null).Where(p => p.PlaceCity != null && p.PlaceCountry != null);
        if (after is { } key)
        {
            placed = placed.Where(p => string.Compare(p.PlaceCountry, key.Country) > 0
                || (p.PlaceCountry == key.Country && (string.Compare(p.PlaceCity, key.City) > 0
                    || (p.PlaceCity == key.City && string.Compare(p.PlaceRegion ?? "", key.Region) > 0))));
        }
        var groups = await placed
            .GroupBy(p => new { Country = p.PlaceCountry!, CountryCode = p.PlaceCountryCode!, City = p.PlaceCity!, Region = p.PlaceRegion ?? "" })
            .Select(g => new { g.Key.Country, g.Key.CountryCode, g.Key.City, g.Key.Region, Count = g.Count(), NewestAt = g.Max(p => p.TimelineAt) })
            .OrderBy(g => g.Country).ThenBy(g => g.City).ThenBy(g => g.Region)
            .Take(size + 1)
            .ToListAsync(cancellationToken);
        var page = groups.Take(size).ToList();
        var cities = page.Select(g => g.City).Distinct().ToList();
        var newest = page.Select(g => g.NewestAt).Distinct().ToList();
        // The covers: each place's newest photo, found among the few photos with a city and a time of the page.
        var candidates = await TimelineView.Of(db, ownerId, favorite: null, archived: null)
            .Where(p => cities.Contains(p.PlaceCity!) && newest.Contains(p.TimelineAt))
            .ToListAsync(cancellationToken);
        var links = PhotosApi.OwnerLinks(context, urls);
        var items = page.Select(g => new PlaceSummaryDto(g.CountryCode, g.Country, g.Region.Length == 0 ? null : g.Region, g.City, g.Count,
            candidates.Where(p => p.PlaceCountryCode == g.CountryCode && p.PlaceCity == g.City && (p.PlaceRegion ?? "") == g.Region && p.TimelineAt == g.NewestAt)
                .MaxBy(p => p.Id)!.ToSummary(links))).ToList();
        var next = groups.Count > size ? new PlaceKey(page[^1].Country, page[^1].City, page[^1].Region).Encode() : null;
        return TypedResults.Ok(new PlacePageDto(items, next));
    }

    /// <summary>
    /// The main timeline's photos taken in one place, newest first: <paramref name="country"/> is its ISO 3166-1 alpha-2
    /// code, <paramref name="city"/> its name, and <paramref name="region"/>, when given, tells apart towns of one name.
    /// </summary>
    public static async Task<Results<Ok<PhotoPageDto>, ProblemHttpResult>> GetPlacePhotosAsync(
        HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, string? country, string? city, string? region, string? cursor, int? limit,
        CancellationToken cancellationToken)
    {
        if (country is not { Length: 2 } || !country.All(char.IsAsciiLetter))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid country",
                detail: $"'country' must be a two-letter country code such as IT; '{country}' is not.");
        }
        if (string.IsNullOrWhiteSpace(city) || city.Length > MaxNameLength)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid city",
                detail: $"'city' must be the name of a place, 1 to {MaxNameLength} characters, such as Rome.");
        }
        if (region is { Length: > MaxNameLength })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid region",
                detail: $"'region' must be at most {MaxNameLength} characters.");
        }
        var code = country.ToUpperInvariant();
        var query = TimelineView.Of(db, context.User.UserId(), favorite: null, archived: null)
            .Where(p => p.PlaceCountryCode == code && p.PlaceCity == city);
        if (region is not null)
        {
            query = query.Where(p => p.PlaceRegion == region);
        }
        return await PhotosApi.PageAsync(query, cursor, limit, PhotosApi.OwnerLinks(context, urls), cancellationToken);
    }

    /// <summary>Where a page of places ends: its last place's country, city and region (empty for none).</summary>
    private readonly record struct PlaceKey(string Country, string City, string Region)
    {
        private const char Separator = '\u001f';

        public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Country}{Separator}{City}{Separator}{Region}"));

        public static bool TryDecode(string text, out PlaceKey key)
        {
            key = default;
            if (text.Length is 0 or > 1000)
            {
                return false;
            }
            string[] parts;
            try
            {
                parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(Separator);
            }
            catch (FormatException)
            {
                return false;
            }
            if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return false;
            }
            key = new PlaceKey(parts[0], parts[1], parts[2]);
            return true;
        }
    }
}
