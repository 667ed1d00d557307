using System.Linq.Expressions;
using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>An owner's marks on a photo: favourite, and archived (out of the main timeline). Setting a mark twice is no error.</summary>
public static class PhotoMarksApi
{
    public static void MapPhotoMarks(this RouteGroupBuilder photos)
    {
        photos.MapPut("/{id:guid}/favorite", (Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken) =>
            MarkAsync(id, context, db, p => p.IsFavorite, true, cancellationToken)).WithName("FavoritePhoto");
        photos.MapDelete("/{id:guid}/favorite", (Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken) =>
            MarkAsync(id, context, db, p => p.IsFavorite, false, cancellationToken)).WithName("UnfavoritePhoto");
        photos.MapPut("/{id:guid}/archive", (Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken) =>
            MarkAsync(id, context, db, p => p.IsArchived, true, cancellationToken)).WithName("ArchivePhoto");
        photos.MapDelete("/{id:guid}/archive", (Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken) =>
            MarkAsync(id, context, db, p => p.IsArchived, false, cancellationToken)).WithName("UnarchivePhoto");
    }

    /// <summary>One statement, so two clicks at once cannot lose either; another user's photo is not found, as everywhere.</summary>
    private static async Task<Results<NoContent, NotFound>> MarkAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, Expression<Func<Photo, bool>> mark, bool value, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var marked = await db.Photos.Where(p => p.Id == id && p.OwnerId == userId)
            .ExecuteUpdateAsync(photo => photo.SetProperty(mark, value), cancellationToken);
        return marked == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
