using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Keepsake.Data;

/// <summary>One migration as the lint sees it: its provider's set, its id, what its Up does and its markers.</summary>
public sealed record LintedMigration(string Provider, string Id, IReadOnlyList<MigrationOperation> Operations, IReadOnlyList<AllowUnsafeAttribute> Allowances)
{
    public static LintedMigration Of(string provider, string id, Migration migration) =>
        new(provider, id, migration.UpOperations, migration.GetType().GetCustomAttributes<AllowUnsafeAttribute>().ToList());
}

/// <summary>A change the lint found; <see cref="AllowedBecause"/> is the marker's reason when the migration allows it.</summary>
public sealed record LintFinding(string Provider, string MigrationId, string Rule, string What, string? AllowedBecause = null)
{
    public override string ToString() =>
        AllowedBecause is null
            ? $"{Provider}/{MigrationId}: {Rule}: {What}"
            : $"{Provider}/{MigrationId}: {Rule}: {What} (allowed: {AllowedBecause})";
}

public sealed record LintReport(int MigrationsChecked, IReadOnlyList<LintFinding> Violations, IReadOnlyList<LintFinding> Allowed)
{
    public bool IsClean => Violations.Count == 0;
}

/// <summary>
/// Finds the migration operations the previous release cannot run against: during a rolling deploy the old
/// replicas keep serving on the migrated schema, so every migration must be an expand step. Rules are named
/// after squawk's, which lints the same hazards in PostgreSQL SQL; raw SQL cannot be checked at all, so it
/// is refused too. A contract step that is meant carries <see cref="AllowUnsafeAttribute"/>.
/// </summary>
public static class MigrationLint
{
    public const string BanDropColumn = "ban-drop-column";
    public const string BanDropTable = "ban-drop-table";
    public const string RenamingColumn = "renaming-column";
    public const string RenamingTable = "renaming-table";
    public const string ChangingColumnType = "changing-column-type";
    public const string AddingNotNullableField = "adding-not-nullable-field";
    public const string AddingRequiredField = "adding-required-field";
    public const string RequireConcurrentIndexCreation = "require-concurrent-index-creation";
    public const string BanRawSql = "ban-raw-sql";

    /// <summary>A marker that names no rule or gives no reason: it would otherwise allow nothing silently.</summary>
    public const string AllowUnsafeMarker = "allow-unsafe-marker";

    /// <summary>The annotation <c>IsCreatedConcurrently()</c> puts on a PostgreSQL index.</summary>
    private const string NpgsqlCreatedConcurrently = "Npgsql:CreatedConcurrently";

    public static IReadOnlyList<string> Rules { get; } =
    [
        BanDropColumn, BanDropTable, RenamingColumn, RenamingTable, ChangingColumnType,
        AddingNotNullableField, AddingRequiredField, RequireConcurrentIndexCreation, BanRawSql,
    ];

    /// <summary>Every migration of both sets in this build, read from EF's migrations assembly; no database is opened.</summary>
    public static IReadOnlyList<LintedMigration> ReadThisBuild()
    {
        var sqliteOptions = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
        DataExtensions.ConfigureSqlite(sqliteOptions, "Data Source=:memory:");
        using var sqlite = new SqliteKeepsakeDbContext(sqliteOptions.Options);
        var postgresOptions = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
        DataExtensions.ConfigurePostgres(postgresOptions, "Host=localhost");
        using var postgres = new PostgresKeepsakeDbContext(postgresOptions.Options);
        return [.. Read(DatabaseOptions.Sqlite, sqlite), .. Read(DatabaseOptions.Postgres, postgres)];
    }

    private static IEnumerable<LintedMigration> Read(string provider, DbContext db)
    {
        var assembly = db.GetService<IMigrationsAssembly>();
        var activeProvider = db.Database.ProviderName!;
        return assembly.Migrations
            .OrderBy(migration => migration.Key, StringComparer.Ordinal)
            .Select(migration => LintedMigration.Of(provider, migration.Key, assembly.CreateMigration(migration.Value, activeProvider)))
            .ToList();
    }

    public static LintReport Check(IReadOnlyCollection<LintedMigration> migrations)
    {
        var violations = new List<LintFinding>();
        var allowed = new List<LintFinding>();
        foreach (var migration in migrations)
        {
            var allowances = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var allowance in migration.Allowances)
            {
                if (!Rules.Contains(allowance.Rule, StringComparer.Ordinal))
                {
                    violations.Add(new(migration.Provider, migration.Id, AllowUnsafeMarker, $"names no lint rule '{allowance.Rule}'"));
                }
                else if (string.IsNullOrWhiteSpace(allowance.Reason))
                {
                    violations.Add(new(migration.Provider, migration.Id, AllowUnsafeMarker, $"the marker for {allowance.Rule} gives no reason"));
                }
                else
                {
                    allowances[allowance.Rule] = allowance.Reason;
                }
            }
            foreach (var (rule, what) in Find(migration))
            {
                if (allowances.TryGetValue(rule, out var reason))
                {
                    allowed.Add(new(migration.Provider, migration.Id, rule, what, reason));
                }
                else
                {
                    violations.Add(new(migration.Provider, migration.Id, rule, what));
                }
            }
        }
        return new LintReport(migrations.Count, violations, allowed);
    }

    private static IEnumerable<(string Rule, string What)> Find(LintedMigration migration)
    {
        // A table created by the same migration is empty and unknown to the previous release: anything
        // done to it there is safe.
        var created = migration.Operations.OfType<CreateTableOperation>().Select(t => Name(t.Schema, t.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var operation in migration.Operations)
        {
            switch (operation)
            {
                case DropColumnOperation drop:
                    yield return (BanDropColumn, $"drops column {Name(drop.Schema, drop.Table)}.{drop.Name}");
                    break;
                case DropTableOperation drop:
                    yield return (BanDropTable, $"drops table {Name(drop.Schema, drop.Name)}");
                    break;
                case RenameColumnOperation rename:
                    yield return (RenamingColumn, $"renames column {Name(rename.Schema, rename.Table)}.{rename.Name} to {rename.NewName}");
                    break;
                case RenameTableOperation rename:
                    yield return (RenamingTable, $"renames table {Name(rename.Schema, rename.Name)} to {Name(rename.NewSchema ?? rename.Schema, rename.NewName ?? rename.Name)}");
                    break;
                case AlterColumnOperation alter when !created.Contains(Name(alter.Schema, alter.Table)):
                    var column = $"{Name(alter.Schema, alter.Table)}.{alter.Name}";
                    if (TypeOf(alter) != TypeOf(alter.OldColumn))
                    {
                        yield return (ChangingColumnType, $"changes the type of column {column} from {TypeOf(alter.OldColumn)} to {TypeOf(alter)}");
                    }
                    if (alter.OldColumn.IsNullable && !alter.IsNullable)
                    {
                        yield return (AddingNotNullableField, $"makes column {column} non-nullable");
                    }
                    break;
                case AddColumnOperation add when !created.Contains(Name(add.Schema, add.Table))
                    && !add.IsNullable && add.DefaultValue is null && add.DefaultValueSql is null && add.ComputedColumnSql is null:
                    yield return (AddingRequiredField, $"adds non-nullable column {Name(add.Schema, add.Table)}.{add.Name} without a default");
                    break;
                case CreateIndexOperation index when migration.Provider == DatabaseOptions.Postgres
                    && !created.Contains(Name(index.Schema, index.Table)) && index[NpgsqlCreatedConcurrently] is not true:
                    yield return (RequireConcurrentIndexCreation, $"creates index {index.Name} on {Name(index.Schema, index.Table)} without CONCURRENTLY (IsCreatedConcurrently())");
                    break;
                case SqlOperation sql:
                    yield return (BanRawSql, $"runs raw SQL that cannot be checked: {Abbreviate(sql.Sql)}");
                    break;
            }
        }
    }

    private static string Name(string? schema, string table) => schema is null ? table : $"{schema}.{table}";

    private static string TypeOf(ColumnOperation column)
    {
        var type = column.ColumnType ?? column.ClrType.Name;
        var size = (column.MaxLength, column.Precision, column.Scale) switch
        {
            (int length, _, _) => $"({length})",
            (_, int precision, int scale) => $"({precision},{scale})",
            (_, int precision, _) => $"({precision})",
            _ => "",
        };
        return column.ColumnType is not null && column.ColumnType.Contains('(', StringComparison.Ordinal) ? type : type + size;
    }

    private static string Abbreviate(string sql)
    {
        var oneLine = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 60 ? oneLine : oneLine[..57] + "...";
    }
}
