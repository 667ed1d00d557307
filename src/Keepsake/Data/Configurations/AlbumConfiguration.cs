using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Data.Configurations;

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
