using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Accounts.DeviceKeys;

internal sealed class DeviceKeyConfiguration : IEntityTypeConfiguration<DeviceKey>
{
    public void Configure(EntityTypeBuilder<DeviceKey> key)
    {
        key.ToTable("device_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Name).HasMaxLength(DeviceKey.MaxNameLength);
        key.Property(k => k.Scope).HasConversion<string>().HasMaxLength(16);
        key.Property(k => k.SecretHash).HasMaxLength(32);
        // A backup's scrub removes an erased user's rows by deleting the user: the keys go with them.
        key.HasOne<KeepsakeUser>().WithMany().HasForeignKey(k => k.OwnerId).OnDelete(DeleteBehavior.Cascade);
        key.HasIndex(k => new { k.OwnerId, k.CreatedAt });
    }
}

/// <summary>The device keys on the one database context, as <c>db.DeviceKeys</c>; their mapping is above, found by the context.</summary>
public static class DeviceKeyTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<DeviceKey> DeviceKeys => db.Set<DeviceKey>();
    }
}
