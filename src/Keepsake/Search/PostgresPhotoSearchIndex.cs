using System.Data.Common;
using Keepsake.Data;

namespace Keepsake.Search;

/// <summary>
/// Search on PostgreSQL: the <c>photo_search</c> rows hold each field folded by <c>keepsake_search_words</c> (lower case,
/// accents removed by <c>unaccent</c>, punctuation turned into spaces) between spaces, and a GIN trigram index
/// (<c>pg_trgm</c>) over all of them together, so a word's start is found with <c>LIKE '% kod%'</c> from the index. The
/// query's words are folded by the same function, so both sides agree whatever the database's locale.
/// </summary>
public sealed class PostgresPhotoSearchIndex(KeepsakeDbContext db) : SqlPhotoSearchIndex(db)
{
    protected override async Task<IReadOnlyList<string>> PrepareWordsAsync(DbConnection connection, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", words.Select(word => $"keepsake_search_words({Add(command, word)})"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return [.. Enumerable.Range(0, words.Count).Select(reader.GetString).Where(word => word.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    protected override (string From, string Where) TextMatch(DbCommand command, IReadOnlyList<string> words) =>
        ("photo_search s JOIN photos p ON p.\"Id\" = s.photo_id",
            string.Join(" AND ", words.Select(word => $"s.document LIKE {Add(command, Pattern(word))}")));

    protected override string WordScore(DbCommand command, string word)
    {
        var pattern = Add(command, Pattern(word));
        return $"(CASE WHEN s.description LIKE {pattern} THEN {SearchRelevance.Description}"
            + $" WHEN s.file_name LIKE {pattern} OR s.camera LIKE {pattern} THEN {SearchRelevance.FileNameOrCamera}"
            + $" WHEN s.place LIKE {pattern} THEN {SearchRelevance.Place} ELSE {SearchRelevance.AlbumName} END)";
    }

    protected override object Value(Guid id) => id;

    protected override object Value(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc);

    protected override Guid ReadGuid(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    /// <summary>The start of a word: every field is stored with a space before each word.</summary>
    private static string Pattern(string word) => $"% {word}%";
}
