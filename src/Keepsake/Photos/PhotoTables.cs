using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Photos;

internal sealed class PhotoConfiguration : IEntityTypeConfiguration<Photo>
{
    public void Configure(EntityTypeBuilder<Photo> photo)
    {
        photo.ToTable("photos");
        photo.HasKey(p => p.Id);
        photo.Property(p => p.OriginalFileName).HasMaxLength(255);
        photo.Property(p => p.Format).HasMaxLength(16);
        photo.Property(p => p.Sha256).HasMaxLength(64).IsFixedLength();
        photo.Property(p => p.CameraMake).HasMaxLength(128);
        photo.Property(p => p.CameraModel).HasMaxLength(128);
        photo.Property(p => p.Lens).HasMaxLength(128);
        photo.Property(p => p.ExposureTime).HasMaxLength(32);
        photo.Property(p => p.Description).HasMaxLength(PhotoDescriptionApi.MaxLength);
        photo.HasOne<KeepsakeUser>().WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);
        // The timeline reads newest first per owner; the id breaks ties so the keyset order is total.
        photo.HasIndex(p => new { p.OwnerId, p.TimelineAt, p.Id }).IsDescending(false, true, true);
        // The Favourites and Archive views are a few photos among many: an index of only those photos, in timeline order,
        // keeps each view from reading the whole timeline to find them.
        photo.HasIndex(p => new { p.OwnerId, p.TimelineAt, p.Id }, "IX_photos_favorites").IsDescending(false, true, true)
            .HasFilter("\"IsFavorite\"").IsCreatedConcurrently();
        photo.HasIndex(p => new { p.OwnerId, p.TimelineAt, p.Id }, "IX_photos_archive").IsDescending(false, true, true)
            .HasFilter("\"IsArchived\"").IsCreatedConcurrently();
        // The main timeline's month buckets: each month is counted over a range of this index alone (the filter's columns
        // come last for SQLite, as for the map's below).
        photo.HasIndex(p => new { p.OwnerId, p.TimelineAt, p.TrashedAt, p.IsArchived }, "IX_photos_timeline_months")
            .HasFilter("\"TrashedAt\" IS NULL AND NOT \"IsArchived\"").IsCreatedConcurrently();
        // The trash in the order it is listed, and the purge's search for what has been there too long.
        photo.HasIndex(p => new { p.OwnerId, p.TrashedAt, p.Id }, "IX_photos_trash").IsDescending(false, true, true)
            .HasFilter("\"TrashedAt\" IS NOT NULL").IsCreatedConcurrently();
        photo.HasIndex(p => p.TrashedAt, "IX_photos_trash_purge").HasFilter("\"TrashedAt\" IS NOT NULL").IsCreatedConcurrently();
        photo.Property(p => p.TakenAtSource).HasMaxLength(16);
        photo.Property(p => p.PlaceCity).HasMaxLength(200);
        photo.Property(p => p.PlaceRegion).HasMaxLength(200);
        photo.Property(p => p.PlaceCountry).HasMaxLength(100);
        photo.Property(p => p.PlaceCountryCode).HasMaxLength(2).IsFixedLength();
        // The Places view groups the photos that have a place, and lists one place's photos in timeline order.
        photo.HasIndex(p => new { p.OwnerId, p.PlaceCountryCode, p.PlaceCity, p.TimelineAt, p.Id }, "IX_photos_places")
            .IsDescending(false, false, false, true, true).HasFilter("\"PlaceCity\" IS NOT NULL").IsCreatedConcurrently();
        // The back-fill's search for photos stored before places that have a location: few, then none.
        photo.HasIndex(p => p.Id, "IX_photos_place_backfill").HasFilter("NOT \"PlaceLookedUp\" AND \"Latitude\" IS NOT NULL").IsCreatedConcurrently();
        // The back-fill's search for photos stored before large thumbnails: all of them once, then none.
        photo.HasIndex(p => p.Id, "IX_photos_large_thumbnail_backfill").HasFilter("NOT \"HasLargeThumbnail\"").IsCreatedConcurrently();
        // The map: the main timeline's photos with a place, in timeline order, holding the place itself so the markers are
        // read from the index alone, never from the rows. The filter's own columns come last only for SQLite, which
        // otherwise reads each row to check conditions the filter already promises.
        photo.HasIndex(p => new { p.OwnerId, p.TimelineAt, p.Id, p.Latitude, p.Longitude, p.TrashedAt, p.IsArchived }, "IX_photos_map")
            .IsDescending(false, true, true, false, false, false, false)
            .HasFilter("\"Latitude\" IS NOT NULL AND \"Longitude\" IS NOT NULL AND \"TrashedAt\" IS NULL AND NOT \"IsArchived\"").IsCreatedConcurrently();
        // Search's dates and its from/to filter: a range of the taken date among an owner's photos (a year is a few thousand
        // of a hundred thousand, read from here rather than from every row).
        photo.HasIndex(p => new { p.OwnerId, p.TakenAt }, "IX_photos_taken").IsCreatedConcurrently();
        photo.HasIndex(p => new { p.OwnerId, p.Sha256 }).IsUnique();
        // Whether any user still holds a content: the photo copies and their erasure ask it of every copy.
        photo.HasIndex(p => p.Sha256).IsCreatedConcurrently();
        photo.ToTable(t =>
        {
            t.HasCheckConstraint("ck_photos_latitude", "\"Latitude\" IS NULL OR (\"Latitude\" >= -90 AND \"Latitude\" <= 90)");
            t.HasCheckConstraint("ck_photos_longitude", "\"Longitude\" IS NULL OR (\"Longitude\" >= -180 AND \"Longitude\" <= 180)");
        });
    }
}

/// <summary>The photos on the one database context, as <c>db.Photos</c>; their mapping is above, found by the context.</summary>
public static class PhotoTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<Photo> Photos => db.Set<Photo>();
    }
}
