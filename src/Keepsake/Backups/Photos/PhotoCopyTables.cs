using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Backups.Photos;

/// <summary>
/// One content the photo backup target holds, by its SHA-256: the record that lets <c>keepsake backup photos</c>
/// skip what is copied without reading or listing anything. A row is written only after its copy is durable.
/// </summary>
public sealed class PhotoCopy
{
    /// <summary>SHA-256 of the content, lowercase hex; the copy's key derives from it alone.</summary>
    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>The run that copied it (each run of <c>backup photos</c> is the generation after the highest recorded).</summary>
    public long Generation { get; set; }

    public DateTime CopiedAt { get; set; }
}

internal sealed class PhotoCopyConfiguration : IEntityTypeConfiguration<PhotoCopy>
{
    public void Configure(EntityTypeBuilder<PhotoCopy> copy)
    {
        copy.ToTable("photo_copies");
        copy.HasKey(c => c.Sha256);
        copy.Property(c => c.Sha256).HasMaxLength(64);
        copy.HasIndex(c => c.Generation);
    }
}

/// <summary>The photo copies on the one database context, as <c>db.PhotoCopies</c>; their mapping is above, found by the context.</summary>
public static class PhotoCopyTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<PhotoCopy> PhotoCopies => db.Set<PhotoCopy>();
    }
}
