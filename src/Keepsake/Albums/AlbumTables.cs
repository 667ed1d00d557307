using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Albums;

internal sealed class AlbumConfiguration : IEntityTypeConfiguration<Album>
{
    public void Configure(EntityTypeBuilder<Album> album)
    {
        album.ToTable("albums");
        album.HasKey(a => a.Id);
        album.Property(a => a.Name).HasMaxLength(200);
        album.HasOne<KeepsakeUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Cascade);
        album.HasOne<Photo>().WithMany().HasForeignKey(a => a.CoverPhotoId).OnDelete(DeleteBehavior.SetNull);
        album.HasMany(a => a.Photos).WithOne().HasForeignKey(p => p.AlbumId).OnDelete(DeleteBehavior.Cascade);
        album.HasIndex(a => new { a.OwnerId, a.UpdatedAt });
    }
}

internal sealed class AlbumPhotoConfiguration : IEntityTypeConfiguration<AlbumPhoto>
{
    public void Configure(EntityTypeBuilder<AlbumPhoto> albumPhoto)
    {
        albumPhoto.ToTable("album_photos");
        albumPhoto.HasKey(p => new { p.AlbumId, p.PhotoId });
        albumPhoto.HasOne<Photo>().WithMany().HasForeignKey(p => p.PhotoId).OnDelete(DeleteBehavior.Cascade);
        albumPhoto.HasIndex(p => p.PhotoId);
    }
}

/// <summary>The albums and their photos on the one database context, as <c>db.Albums</c>; their mapping is above, found by the context.</summary>
public static class AlbumTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<Album> Albums => db.Set<Album>();

        public DbSet<AlbumPhoto> AlbumPhotos => db.Set<AlbumPhoto>();
    }
}
