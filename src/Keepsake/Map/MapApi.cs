using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Map;

/// <summary>A photo's place on the map: <c>{"id": "…", "lat": 41.902782, "lon": 12.496366}</c>, short names since there are thousands.</summary>
public sealed record MapMarkerDto(Guid Id, double Lat, double Lon);

/// <summary>One page of markers, newest photo first; <see cref="NextCursor"/> asks for the next page, null after the last.</summary>
public sealed record MapMarkerPageDto(IReadOnlyList<MapMarkerDto> Markers, string? NextCursor);

/// <summary>Photos of the map, as the grid and the viewer show them.</summary>
public sealed record MapPhotosDto(IReadOnlyList<PhotoSummaryDto> Items);

/// <summary>What the web app needs to draw the map; only <see cref="Enabled"/> when the map is off.</summary>
public sealed record MapSettingsDto(bool Enabled, string? TileUrl, string? Attribution, string? AttributionUrl);

/// <summary>
/// The main timeline's photos that have a place (never the trash, never the archive, never a photo whose file had no
/// location), for the signed-in user only. The markers carry no file URLs, which would be four times their size: the
/// client asks <c>/api/map/photos</c> for the few photos it shows.
/// </summary>
public static class MapApi
{
    /// <summary>Most photos asked for at once: a cluster's list, or the markers drawn one by one on the screen.</summary>
    public const int MaxPhotos = 100;

    public static IEndpointRouteBuilder MapMap(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/map").WithTags("Map").RequireAuthorization();
        group.MapGet("/settings", GetSettings).WithName("GetMapSettings");
        var turnedOn = group.MapGroup("").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<IOptions<MapOptions>>().Value.Enabled
                ? await next(context)
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The map is turned off",
                    detail: "This Keepsake shows no map: its administrator has set Map:Enabled to false."));
        turnedOn.MapGet("/markers", GetMarkersAsync).WithName("GetMapMarkers");
        turnedOn.MapGet("/photos", GetPhotosAsync).WithName("GetMapPhotos");
        return routes;
    }

    public static Ok<MapSettingsDto> GetSettings(IOptions<MapOptions> options)
    {
        var map = options.Value;
        return TypedResults.Ok(map.Enabled
            ? new MapSettingsDto(true, map.TileUrl, map.Attribution, string.IsNullOrEmpty(map.AttributionUrl) ? null : map.AttributionUrl)
            : new MapSettingsDto(false, null, null, null));
    }

    /// <summary>
    /// The markers of the signed-in user's photos with a place, newest first, optionally within <paramref name="bbox"/>
    /// (<c>west,south,east,north</c>; west greater than east crosses the antimeridian) and taken from <paramref name="from"/>
    /// to <paramref name="to"/> (yyyy-MM-dd, both days included, in the timeline's UTC days). At most
    /// <paramref name="limit"/> (default 5 000, at most 20 000) per answer; <c>nextCursor</c> gives the rest.
    /// </summary>
    public static async Task<Results<Ok<MapMarkerPageDto>, ProblemHttpResult>> GetMarkersAsync(
        HttpContext context, KeepsakeDbContext db, string? bbox, string? from, string? to, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        if (MarkerFilter.TryRead(bbox, from, to, cursor, limit, out var filter) is { } problem)
        {
            return problem;
        }
        var query = Located(db, context.User.UserId());
        if (filter.Box is { } box)
        {
            query = query.Where(p => p.Latitude >= box.South && p.Latitude <= box.North);
            query = box.CrossesAntimeridian
                ? query.Where(p => p.Longitude >= box.West || p.Longitude <= box.East)
                : query.Where(p => p.Longitude >= box.West && p.Longitude <= box.East);
        }
        if (filter.From is { } start)
        {
            query = query.Where(p => p.TimelineAt >= start);
        }
        if (filter.Until is { } end)
        {
            query = query.Where(p => p.TimelineAt < end);
        }
        if (filter.After is { } after)
        {
            // As the timeline's pages: the first bound alone is a range on the index, the second orders the ties.
            query = query.Where(p => p.TimelineAt <= after.At && (p.TimelineAt < after.At || p.Id.CompareTo(after.Id) < 0));
        }
        // Without the time of each: reading it back (text, on SQLite) was a third of a large page's work; the last one's
        // is asked for alone, for the cursor.
        var markers = await query.OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id)
            .Select(p => new MapMarkerDto(p.Id, p.Latitude!.Value, p.Longitude!.Value))
            .Take(filter.Limit + 1)
            .ToListAsync(cancellationToken);
        string? next = null;
        if (markers.Count > filter.Limit)
        {
            markers.RemoveAt(filter.Limit);
            var last = markers[^1].Id;
            var at = await db.Photos.Where(p => p.Id == last).Select(p => p.TimelineAt).SingleAsync(cancellationToken);
            next = new TimelineCursor(at, last).Encode();
        }
        return TypedResults.Ok(new MapMarkerPageDto(markers, next));
    }

    /// <summary>
    /// Those of the photos asked for (<c>?id=…&amp;id=…</c>, at most 100) that are on the signed-in user's map, newest first;
    /// anyone else's, or one that is not on the map, is left out.
    /// </summary>
    public static async Task<Results<Ok<MapPhotosDto>, ProblemHttpResult>> GetPhotosAsync(
        HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, CancellationToken cancellationToken, Guid[]? id = null)
    {
        var ids = (id ?? []).Distinct().ToList();
        if (ids.Count > MaxPhotos)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Too many photos",
                detail: $"Ask for at most {MaxPhotos} photos at a time ('id' is given {ids.Count} times).");
        }
        var photos = await Located(db, context.User.UserId()).Where(p => ids.Contains(p.Id))
            .OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id)
            .ToListAsync(cancellationToken);
        var links = PhotosApi.OwnerLinks(context, urls);
        return TypedResults.Ok(new MapPhotosDto(photos.Select(p => p.ToSummary(links)).ToList()));
    }

    /// <summary>The main timeline's photos with a place; the conditions are the map index's filter, word for word, so the index serves them.</summary>
    private static IQueryable<Photo> Located(KeepsakeDbContext db, Guid ownerId) =>
        TimelineView.Of(db, ownerId, favorite: null, archived: null).Where(p => p.Latitude != null && p.Longitude != null);
}
