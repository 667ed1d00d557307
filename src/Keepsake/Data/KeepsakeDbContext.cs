using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Photos;
using Keepsake.Sharing;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Keepsake.Data;

/// <summary>
/// The one database model. Migrations: <c>dotnet ef migrations add NAME -o Data/Migrations/Sqlite</c>
/// from <c>src/Keepsake</c> (after <c>dotnet tool restore</c>); keep every query provider-neutral.
/// </summary>
public sealed class KeepsakeDbContext(DbContextOptions<KeepsakeDbContext> options)
    : IdentityUserContext<KeepsakeUser, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Photo> Photos => Set<Photo>();

    public DbSet<Album> Albums => Set<Album>();

    public DbSet<AlbumPhoto> AlbumPhotos => Set<AlbumPhoto>();

    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Every time is UTC; SQLite stores text without a kind, so it is restored on the way out.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KeepsakeDbContext).Assembly);
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
