using System.Data.Common;
using System.Globalization;
using Keepsake.Data;

namespace Keepsake.Search;

/// <summary>
/// Search on the embedded SQLite database: the FTS5 table <c>photo_search_fts</c> over the <c>photo_search</c> rows, with
/// the <c>unicode61 remove_diacritics 2</c> tokenizer (case and accents folded, words split where letters and digits
/// end, as <see cref="SearchQuery.WordsOf"/> splits the query) and prefix queries, so <c>kod</c> finds KODAK. Each word is a
/// quoted prefix, so nothing a person types is read as FTS5 syntax.
/// </summary>
public sealed class SqlitePhotoSearchIndex(KeepsakeDbContext db) : SqlPhotoSearchIndex(db)
{
    protected override (string From, string Where) TextMatch(DbCommand command, IReadOnlyList<string> words) =>
        ("photo_search_fts f JOIN photo_search s ON s.\"key\" = f.rowid JOIN photos p ON p.\"Id\" = s.photo_id",
            $"photo_search_fts MATCH {Add(command, string.Join(' ', words.Select(Prefix)))}");

    protected override string WordScore(DbCommand command, string word)
    {
        string In(string columns) =>
            $"f.rowid IN (SELECT rowid FROM photo_search_fts WHERE photo_search_fts MATCH {Add(command, $"{{{columns}}} : {Prefix(word)}")})";
        return $"(CASE WHEN {In("description")} THEN {SearchRelevance.Description}"
            + $" WHEN {In("file_name camera")} THEN {SearchRelevance.FileNameOrCamera}"
            + $" WHEN {In("place")} THEN {SearchRelevance.Place} ELSE {SearchRelevance.AlbumName} END)";
    }

    /// <summary>EF stores a Guid as its upper-case text on SQLite.</summary>
    protected override object Value(Guid id) => id.ToString("D").ToUpperInvariant();

    /// <summary>EF stores a date as sortable text on SQLite.</summary>
    protected override object Value(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    protected override Guid ReadGuid(DbDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

    private static string Prefix(string word) => $"\"{word}\"*";
}
