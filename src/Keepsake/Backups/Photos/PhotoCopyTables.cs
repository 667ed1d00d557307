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

    /// <summary>
    /// When a run of <c>backup photos</c> first found no photo holding the content (null while one does): the copy is
    /// removed a grace period later (<see cref="PhotoBackupOptions.DeletedRetention"/>), so a mistaken delete can be
    /// undone from it. Set by a run rather than by the delete, so a database restored to before the delete starts the
    /// clock again from what it holds.
    /// </summary>
    public DateTime? UnheldSince { get; set; }
}

/// <summary>
/// A user who deleted a photo whose content has a copy: the copy outlives the photo by the grace period, and an erasure
/// of the user must still find it then. Deleted with the copy, with the user (an erasure, a backup's scrub), or by erasure.
/// </summary>
public sealed class PhotoCopyFormerHolder
{
    public Guid OwnerId { get; set; }

    public required string Sha256 { get; set; }
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

internal sealed class PhotoCopyFormerHolderConfiguration : IEntityTypeConfiguration<PhotoCopyFormerHolder>
{
    public void Configure(EntityTypeBuilder<PhotoCopyFormerHolder> holder)
    {
        holder.ToTable("photo_copy_former_holders");
        holder.HasKey(h => new { h.OwnerId, h.Sha256 });
        holder.Property(h => h.Sha256).HasMaxLength(64);
        holder.HasIndex(h => h.Sha256);
        holder.HasOne<KeepsakeUser>().WithMany().HasForeignKey(h => h.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The photo copies on the one database context, as <c>db.PhotoCopies</c>; their mapping is above, found by the context.</summary>
public static class PhotoCopyTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<PhotoCopy> PhotoCopies => db.Set<PhotoCopy>();

        public DbSet<PhotoCopyFormerHolder> PhotoCopyFormerHolders => db.Set<PhotoCopyFormerHolder>();
    }
}
