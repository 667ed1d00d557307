using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Uploads;

/// <summary>
/// A resumable (tus) upload on its way: created by <c>POST /api/uploads</c>, its bytes so far in part blobs
/// (<see cref="UploadParts"/>), gone once its last byte is ingested, it is terminated, or it expires.
/// </summary>
public sealed class PendingUpload
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    /// <summary>The whole upload's size in bytes, from <c>Upload-Length</c>.</summary>
    public long Length { get; set; }

    /// <summary>How many bytes are durably stored in parts: where the next <c>PATCH</c> must start.</summary>
    public long Offset { get; set; }

    public required string FileName { get; set; }

    /// <summary>The SHA-256 (lower-case hex) the client says the whole file has, checked before it is stored.</summary>
    public string? Sha256 { get; set; }

    /// <summary>When the client says the photo was taken: the date used when the file itself holds none.</summary>
    public DateTime? TakenAt { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>After this the upload is gone: its requests answer 404 and the expiry sweep removes its parts.</summary>
    public DateTime ExpiresAt { get; set; }
}

internal sealed class PendingUploadConfiguration : IEntityTypeConfiguration<PendingUpload>
{
    public void Configure(EntityTypeBuilder<PendingUpload> upload)
    {
        upload.ToTable("uploads");
        upload.HasKey(u => u.Id);
        upload.Property(u => u.FileName).HasMaxLength(255);
        upload.Property(u => u.Sha256).HasMaxLength(64).IsFixedLength();
        upload.HasOne<KeepsakeUser>().WithMany().HasForeignKey(u => u.OwnerId).OnDelete(DeleteBehavior.Cascade);
        upload.HasIndex(u => u.OwnerId);
        // The expiry sweep's search for what is past its time.
        upload.HasIndex(u => u.ExpiresAt);
    }
}

/// <summary>The uploads in progress on the one database context, as <c>db.PendingUploads</c>.</summary>
public static class UploadTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<PendingUpload> PendingUploads => db.Set<PendingUpload>();
    }
}
