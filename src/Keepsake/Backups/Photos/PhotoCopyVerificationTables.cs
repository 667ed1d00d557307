using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Backups.Photos;

/// <summary>
/// One run of <c>keepsake backup verify --photos</c>: kept in the database so the server exports the newest result as
/// metrics whatever process (a CronJob, a person at a shell) ran it.
/// </summary>
public sealed class PhotoCopyVerification
{
    public long Id { get; set; }

    public DateTime VerifiedAt { get; set; }

    /// <summary>The copies re-read and hashed: all the recorded ones, or a sample of them.</summary>
    public int Checked { get; set; }

    /// <summary>The copies recorded when the run began.</summary>
    public int Recorded { get; set; }

    /// <summary>Of <see cref="Checked"/>: missing, corrupt or unreadable. The run succeeded when it is 0.</summary>
    public int Failed { get; set; }
}

internal sealed class PhotoCopyVerificationConfiguration : IEntityTypeConfiguration<PhotoCopyVerification>
{
    public void Configure(EntityTypeBuilder<PhotoCopyVerification> verification)
    {
        verification.ToTable("photo_copy_verifications");
        verification.HasKey(v => v.Id);
        verification.HasIndex(v => v.VerifiedAt);
    }
}

/// <summary>The photo copy verifications on the one database context, as <c>db.PhotoCopyVerifications</c>.</summary>
public static class PhotoCopyVerificationTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<PhotoCopyVerification> PhotoCopyVerifications => db.Set<PhotoCopyVerification>();
    }
}
