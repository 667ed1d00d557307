using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Keepsake.Tests.Data;

/// <summary>
/// Every context starts from its compiled model (src/Keepsake/CompiledModels), not from the mappings: building the model
/// cost a verb half its start-up. A mapping changed without generating the compiled models again would go unseen, so
/// each is compared with the model the mappings build, entity by entity, column by column.
/// </summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class CompiledModelTests
{
    public static TheoryData<string> Providers => [DatabaseOptions.Sqlite, DatabaseOptions.Postgres];

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_compiled_model_is_the_model_the_mappings_build(string provider)
    {
        using var db = CreateContext(provider);
        var compiled = db.Model;
        var built = db.GetService<IModelSource>().GetModel(db, db.GetService<ModelCreationDependencies>(), designTime: false);

        Assert.NotSame(compiled, built);
        var compiledLines = Described(compiled);
        var builtLines = Described(built);
        var differ = compiledLines.Zip(builtLines).Select((pair, line) => (pair, line)).FirstOrDefault(d => d.pair.First != d.pair.Second);
        Assert.True(compiledLines.SequenceEqual(builtLines),
            $"The compiled {provider} model is stale: run scripts/compile-models.sh and commit src/Keepsake/CompiledModels. " +
            $"First difference, line {differ.line + 1}: compiled '{differ.pair.First?.Trim()}', built '{differ.pair.Second?.Trim()}' " +
            $"({compiledLines.Count} and {builtLines.Count} lines).");
    }

    /// <summary>
    /// The model's description, line by line, without its ad-hoc entity types: a raw SQL query of an unmapped type (the
    /// month buckets' months) adds one to the running model the first time it runs, and none is ever compiled.
    /// </summary>
    private static List<string> Described(IModel model)
    {
        var kept = new List<string>();
        int? adHocIndent = null;
        foreach (var line in model.ToDebugString(MetadataDebugStringOptions.LongDefault).Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            if (adHocIndent is { } outer && indent > outer)
            {
                continue;
            }
            adHocIndent = line.TrimStart().StartsWith("Ad-hoc entity types:", StringComparison.Ordinal) ? indent : null;
            if (adHocIndent is null)
            {
                kept.Add(line);
            }
        }
        return kept;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void A_context_uses_its_compiled_model(string provider)
    {
        using var db = CreateContext(provider);

        Assert.StartsWith($"Keepsake.CompiledModels.{provider}.", db.Model.GetType().FullName, StringComparison.OrdinalIgnoreCase);
    }

    private static KeepsakeDbContext CreateContext(string provider)
    {
        if (provider == DatabaseOptions.Sqlite)
        {
            var options = new DbContextOptionsBuilder<SqliteKeepsakeDbContext>();
            DataExtensions.ConfigureSqlite(options, "Data Source=:memory:");
            return new SqliteKeepsakeDbContext(options.Options);
        }
        var postgres = new DbContextOptionsBuilder<PostgresKeepsakeDbContext>();
        DataExtensions.ConfigurePostgres(postgres, "Host=127.0.0.1;Database=unused");
        return new PostgresKeepsakeDbContext(postgres.Options);
    }
}
