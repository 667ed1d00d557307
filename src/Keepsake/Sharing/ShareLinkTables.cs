using Keepsake.Albums;
using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Sharing;

internal sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> link)
    {
        link.ToTable("share_links");
        link.HasKey(l => l.Id);
        link.Property(l => l.TokenHash).HasMaxLength(32);
        link.Property(l => l.PasswordHash).HasMaxLength(256);
        // With a default, so the previous release can still insert links (expand/contract).
        link.Property(l => l.IncludeLocation).HasDefaultValue(false);
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasOne<Album>().WithMany().HasForeignKey(l => l.AlbumId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The share links on the one database context, as <c>db.ShareLinks</c>; their mapping is above, found by the context.</summary>
public static class ShareLinkTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<ShareLink> ShareLinks => db.Set<ShareLink>();
    }
}
