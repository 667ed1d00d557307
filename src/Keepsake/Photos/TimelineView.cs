using Keepsake.Data;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>The photos of one of an owner's views: the main timeline, the favourites or the archive; never the trash.</summary>
public static class TimelineView
{
    /// <summary>
    /// The main timeline leaves archived photos out; <paramref name="favorite"/> true keeps the favourites only (archived
    /// ones too), <paramref name="archived"/> true the archive only and false what is not archived.
    /// </summary>
    public static IQueryable<Photo> Of(KeepsakeDbContext db, Guid ownerId, bool? favorite, bool? archived)
    {
        var query = db.Photos.AsNoTracking().Where(p => p.OwnerId == ownerId && p.TrashedAt == null);
        if (favorite == true)
        {
            query = query.Where(p => p.IsFavorite);
        }
        // Constant conditions, not a parameter: only "IsArchived" itself lets the database use the archive's own index.
        return (archived ?? (favorite == true ? null : false)) switch
        {
            true => query.Where(p => p.IsArchived),
            false => query.Where(p => !p.IsArchived),
            null => query,
        };
    }
}
