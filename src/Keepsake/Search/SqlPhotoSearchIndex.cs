using System.Data.Common;
using System.Text;
using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Keepsake.Search;

/// <summary>
/// The part of a search both databases share: the owner, the trash, the filters, the order and the cursor, around the
/// text match and the relevance each database computes its own way. Written as SQL because the text match is not
/// something LINQ can say; every value goes in as a parameter.
/// </summary>
public abstract class SqlPhotoSearchIndex(KeepsakeDbContext db) : IPhotoSearchIndex
{
    public async Task<IReadOnlyList<SearchHit>> FindAsync(PhotoSearch search, SearchCursor? after, int limit, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var words = search.Query.Words.Count == 0 ? [] : await PrepareWordsAsync(command.Connection!, search.Query.Words, cancellationToken);
            if (search.Query.Words.Count > 0 && words.Count == 0)
            {
                return [];
            }
            command.CommandText = Sql(command, search, words, after, limit);
            var hits = new List<SearchHit>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new SearchHit(ReadGuid(reader, 0), reader.GetInt32(1)));
            }
            return hits;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The query's words as this database matches them; none left means nothing can match.</summary>
    protected virtual Task<IReadOnlyList<string>> PrepareWordsAsync(DbConnection connection, IReadOnlyList<string> words, CancellationToken cancellationToken) =>
        Task.FromResult(words);

    /// <summary>The photos (alias <c>p</c>) joined with what the text match needs, and its conditions.</summary>
    protected abstract (string From, string Where) TextMatch(DbCommand command, IReadOnlyList<string> words);

    /// <summary>The relevance of one word for one photo, an SQL expression (see <see cref="SearchRelevance"/>).</summary>
    protected abstract string WordScore(DbCommand command, string word);

    protected abstract object Value(Guid id);

    protected abstract object Value(DateTime utc);

    protected abstract Guid ReadGuid(DbDataReader reader, int ordinal);

    protected static string Add(DbCommand command, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = $"@p{command.Parameters.Count}";
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }

    private string Sql(DbCommand command, PhotoSearch search, IReadOnlyList<string> words, SearchCursor? after, int limit)
    {
        var (from, where) = words.Count == 0 ? ("photos p", "1 = 1") : TextMatch(command, words);
        var score = words.Count == 0 ? "0" : string.Join(" + ", words.Select(word => WordScore(command, word)));
        var sql = new StringBuilder()
            .Append($"SELECT \"Id\", \"Score\" FROM (SELECT p.\"Id\", p.\"TimelineAt\", {score} AS \"Score\" FROM {from} WHERE {where}")
            .Append($" AND p.\"OwnerId\" = {Add(command, Value(search.OwnerId))} AND p.\"TrashedAt\" IS NULL");
        sql.Append(search.Favorite switch
        {
            true => " AND p.\"IsFavorite\"",
            false => " AND NOT p.\"IsFavorite\"",
            null => "",
        });
        if (search.Taken is { } taken)
        {
            sql.Append($" AND p.\"TakenAt\" >= {Add(command, Value(taken.Start))} AND p.\"TakenAt\" < {Add(command, Value(taken.End))}");
        }
        if (search.AlbumId is { } album)
        {
            sql.Append($" AND EXISTS (SELECT 1 FROM album_photos ap WHERE ap.\"AlbumId\" = {Add(command, Value(album))} AND ap.\"PhotoId\" = p.\"Id\")");
        }
        sql.Append(") hits");
        if (after is { } cursor)
        {
            var s = Add(command, cursor.Score);
            var at = Add(command, Value(cursor.Position.At));
            var id = Add(command, Value(cursor.Position.Id));
            sql.Append($" WHERE \"Score\" < {s} OR (\"Score\" = {s} AND (\"TimelineAt\" < {at} OR (\"TimelineAt\" = {at} AND \"Id\" < {id})))");
        }
        // Without words every score is 0: ordering by the timeline alone lets the database walk an index in that order.
        var byScore = words.Count == 0 ? "" : "\"Score\" DESC, ";
        return sql.Append($" ORDER BY {byScore}\"TimelineAt\" DESC, \"Id\" DESC LIMIT {Add(command, limit)}").ToString();
    }
}
