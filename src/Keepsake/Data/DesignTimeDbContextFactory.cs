using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Keepsake.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the app.</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteKeepsakeDbContext>
{
    public SqliteKeepsakeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteKeepsakeDbContext(options.Options);
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without starting the app (or a server).</summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresKeepsakeDbContext>
{
    public PostgresKeepsakeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
        DataExtensions.ConfigurePostgres(options, "Host=localhost;Database=keepsake");
        return new PostgresKeepsakeDbContext(options.Options);
    }
}
