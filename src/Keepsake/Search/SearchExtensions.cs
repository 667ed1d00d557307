using Keepsake.Data;
using Microsoft.Extensions.Options;

namespace Keepsake.Search;

public static class SearchExtensions
{
    /// <summary>The search index of the configured database: FTS5 on SQLite, trigrams on PostgreSQL.</summary>
    public static IServiceCollection AddKeepsakeSearch(this IServiceCollection services) =>
        services.AddScoped<IPhotoSearchIndex>(provider =>
        {
            var db = provider.GetRequiredService<KeepsakeDbContext>();
            return provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsSqlite
                ? new SqlitePhotoSearchIndex(db)
                : new PostgresPhotoSearchIndex(db);
        });
}
