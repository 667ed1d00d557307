using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Keepsake.Data;

/// <summary>
/// The one database model, shared by a thin subclass per provider that owns that provider's migrations.
/// After a model change, add a migration for each from <c>src/Keepsake</c> (after <c>dotnet tool restore</c>):
/// <c>dotnet ef migrations add NAME --context SqliteKeepsakeDbContext -o Data/Migrations/Sqlite</c> and
/// <c>dotnet ef migrations add NAME --context PostgresKeepsakeDbContext -o Data/Migrations/Postgres</c>, then
/// <c>scripts/compile-models.sh</c>: each context starts from its compiled model (<c>CompiledModels/</c>, found by
/// its assembly attribute) rather than building the model from the mappings in every process.
/// Everything else injects this type; keep every query provider-neutral. The context knows no feature: each feature
/// maps its own tables (an <see cref="IEntityTypeConfiguration{TEntity}"/> in its folder, found by
/// <see cref="OnModelCreating"/>) and adds its own <c>db.Photos</c>-style accessors as extension properties. Inside a
/// query's lambda write <c>db.Set&lt;Photo&gt;()</c>: an expression tree cannot hold an extension property.
/// </summary>
public abstract class KeepsakeDbContext(DbContextOptions options)
    : IdentityUserContext<KeepsakeUser, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Every time is UTC; SQLite stores text without a kind, so it is restored on the way out;
    /// on PostgreSQL the columns are <c>timestamp with time zone</c>, which Npgsql only writes from UTC values.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TruncateTimesToMicroseconds();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TruncateTimesToMicroseconds();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL keeps microseconds, .NET ticks of 100 ns; times are cut to what every provider stores
    /// before they are written, so an entity just saved equals the same entity read back.
    /// </summary>
    private void TruncateTimesToMicroseconds()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTime time && time.Ticks % TimeSpan.TicksPerMicrosecond != 0)
                {
                    property.CurrentValue = new DateTime(time.Ticks - (time.Ticks % TimeSpan.TicksPerMicrosecond), time.Kind);
                }
                else if (property.CurrentValue is DateTimeOffset offset && offset.Ticks % TimeSpan.TicksPerMicrosecond != 0)
                {
                    property.CurrentValue = new DateTimeOffset(offset.Ticks - (offset.Ticks % TimeSpan.TicksPerMicrosecond), offset.Offset);
                }
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KeepsakeDbContext).Assembly);
    }
}

/// <summary>The model on SQLite, with its migrations in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteKeepsakeDbContext(DbContextOptions<SqliteKeepsakeDbContext> options) : KeepsakeDbContext(options);

/// <summary>The model on PostgreSQL, with its migrations in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresKeepsakeDbContext(DbContextOptions<PostgresKeepsakeDbContext> options) : KeepsakeDbContext(options);

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
