using System.Globalization;
using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Search;

/// <summary>Search of the signed-in user's photos by words, dates and filters (see <see cref="SearchQuery"/>).</summary>
public static class SearchApi
{
    /// <summary>The one kind of item Keepsake stores; a <c>type</c> filter names it, and there are no videos yet.</summary>
    public const string PhotoType = "photo";

    public static RouteGroupBuilder MapSearch(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/search").WithTags("Search").RequireAuthorization();
        group.MapGet("/", SearchAsync).WithName("SearchPhotos");
        return group;
    }

    /// <summary>
    /// The signed-in user's photos that match <paramref name="q"/> (every word, as the start of a word of the description,
    /// file name, camera make, model or lens, place or album name, in any case and with or without accents; every date
    /// such as <c>2019</c>, <c>july 2019</c>, <c>2019-07</c> or <c>2019-07-14</c> as the day taken) and the filters:
    /// <paramref name="favorite"/>, <paramref name="type"/> (only <c>photo</c>), <paramref name="from"/> and
    /// <paramref name="to"/> (taken on or between these days, <c>yyyy-MM-dd</c>) and <paramref name="album"/>. Archived
    /// photos are included, those in the trash never. Most relevant first (see <see cref="SearchRelevance"/>), then newest
    /// first; paged like the timeline.
    /// </summary>
    public static async Task<Results<Ok<PhotoPageDto>, ProblemHttpResult>> SearchAsync(
        HttpContext context, KeepsakeDbContext db, IPhotoSearchIndex index, SignedPhotoUrls urls, string? q, string? cursor, int? limit,
        bool? favorite, string? type, string? from, string? to, Guid? album, CancellationToken cancellationToken)
    {
        if (q is { Length: > SearchQuery.MaxLength })
        {
            return BadRequest("Search too long", $"A search holds at most {SearchQuery.MaxLength} characters; this one has {q.Length}.");
        }
        var query = SearchQuery.Parse(q);
        if (query.Words.Count > SearchQuery.MaxWords)
        {
            return BadRequest("Too many words", $"A search holds at most {SearchQuery.MaxWords} words; this one has {query.Words.Count}.");
        }
        if (type is not null && type != PhotoType)
        {
            return BadRequest("Invalid type", $"'type' must be '{PhotoType}' (Keepsake stores no videos yet); '{type}' is not one.");
        }
        if (!TryParseDay(from, "from", out var fromDay, out var fromProblem))
        {
            return fromProblem!;
        }
        if (!TryParseDay(to, "to", out var toDay, out var toProblem))
        {
            return toProblem!;
        }
        if (query.IsEmpty && favorite is null && type is null && fromDay is null && toDay is null && album is null)
        {
            return BadRequest("Nothing to search for",
                "Type a word or a date to search for (such as 'paris', 'kodak' or 'july 2019'), or choose a filter.");
        }
        if (PhotosApi.PageProblem(cursor: null, limit, out var size, out _) is { } pageProblem)
        {
            return pageProblem;
        }
        SearchCursor? after = null;
        if (cursor is not null)
        {
            if (!SearchCursor.TryDecode(cursor, out var decoded))
            {
                return BadRequest("Invalid cursor", "The 'cursor' is not one this server issued; start again from the first page.");
            }
            after = decoded;
        }
        var userId = context.User.UserId();
        if (album is { } albumId && !await db.Albums.AnyAsync(a => a.Id == albumId && a.OwnerId == userId, cancellationToken))
        {
            return AlbumsApi.AlbumNotFound();
        }
        var taken = query.Taken;
        if (fromDay is not null || toDay is not null)
        {
            var filter = new TakenRange(fromDay ?? DateTime.MinValue, toDay?.AddDays(1) ?? DateTime.MaxValue);
            taken = taken is { } words ? words.Within(filter) : filter;
        }
        if (taken is { IsEmpty: true })
        {
            return TypedResults.Ok(new PhotoPageDto([], null));
        }
        var search = new PhotoSearch(userId, query, favorite, album) { Taken = taken };
        var hits = await index.FindAsync(search, after, size + 1, cancellationToken);
        var page = hits.Take(size).ToList();
        var ids = page.Select(h => h.PhotoId).ToList();
        var photos = await db.Photos.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var links = PhotosApi.OwnerLinks(context, urls);
        // A photo erased between the two reads is left out of this page; the cursor still moves past it.
        var items = page.Where(h => photos.ContainsKey(h.PhotoId)).Select(h => photos[h.PhotoId].ToSummary(links)).ToList();
        string? next = null;
        if (hits.Count > size && page[^1] is var last && photos.TryGetValue(last.PhotoId, out var lastPhoto))
        {
            next = new SearchCursor(last.Score, new TimelineCursor(lastPhoto.TimelineAt, lastPhoto.Id)).Encode();
        }
        return TypedResults.Ok(new PhotoPageDto(items, next));
    }

    private static bool TryParseDay(string? text, string name, out DateTime? day, out ProblemHttpResult? problem)
    {
        day = null;
        problem = null;
        if (text is null)
        {
            return true;
        }
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            day = parsed;
            return true;
        }
        problem = BadRequest("Invalid date", $"'{name}' must be a day as yyyy-MM-dd, such as 2019-07-14; '{text}' is not one.");
        return false;
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
