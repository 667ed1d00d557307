namespace Keepsake.Search;

/// <summary>
/// What one search asks of an owner's photos besides its words and dates: favourites only (or none of them), one album's
/// photos, a range of the taken date from the <c>from</c>/<c>to</c> filters.
/// </summary>
public sealed record PhotoSearch(Guid OwnerId, SearchQuery Query, bool? Favorite, Guid? AlbumId)
{
    /// <summary>The range of the taken date the query's dates and the filters leave, if any of them set one.</summary>
    public TakenRange? Taken { get; init; } = Query.Taken;
}

/// <summary>A photo that matched, with its relevance (see <see cref="SearchRelevance"/>).</summary>
public sealed record SearchHit(Guid PhotoId, int Score);

/// <summary>
/// The owner's photos that match a search, never those in the trash, most relevant first and then in timeline order
/// (newest first), after <c>after</c>. One implementation per database: SQLite's FTS5 and PostgreSQL's trigram index,
/// each over the same <c>photo_search</c> rows that the database itself keeps in step with every write (see the
/// <c>PhotoSearch</c> migrations).
/// </summary>
public interface IPhotoSearchIndex
{
    Task<IReadOnlyList<SearchHit>> FindAsync(PhotoSearch search, SearchCursor? after, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// How much a word counts for where it matched: each word of the query adds the weight of the best field it matched in,
/// so a photo the words describe (its description, its file name, its camera) comes before one that is only in a place
/// or an album of that name. Dates and filters add nothing: they only narrow.
/// </summary>
public static class SearchRelevance
{
    public const int Description = 4;
    public const int FileNameOrCamera = 3;
    public const int Place = 2;
    public const int AlbumName = 1;
}
