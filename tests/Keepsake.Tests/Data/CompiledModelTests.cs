using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Keepsake.Tests.Data;

/// <summary>
/// Every context starts from its compiled model (src/Keepsake/CompiledModels), not from the mappings: building the model
/// cost a verb half its start-up. A mapping changed without generating the compiled models again would go unseen, so
/// each is compared with the model the mappings build, entity by entity, column by column.
/// </summary>
/// <remarks>
/// Alone, not beside other classes: the compiled model is one instance for the whole process, and other tests' contexts
/// fill in its lazily made parts while this one reads it, which made it read as stale now and then.
/// </remarks>
[Trait(Unit.Category, Unit.Name)]
[Collection(CompiledModelCollection.Name)]
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
        Assert.True(compiled.ToDebugString(MetadataDebugStringOptions.LongDefault) == built.ToDebugString(MetadataDebugStringOptions.LongDefault),
            $"The compiled {provider} model is stale: run scripts/compile-models.sh and commit src/Keepsake/CompiledModels.");
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

/// <summary>The compiled model's tests, run when no other test class runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CompiledModelCollection
{
    public const string Name = "compiled model, alone";
}
