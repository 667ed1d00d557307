using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos.Trash;

/// <summary>Photos named by id, to move into the trash or out of it.</summary>
public sealed record TrashPhotosDto(IReadOnlyList<Guid>? PhotoIds);

/// <summary>A photo in the trash: when it went in, and when it is deleted for good.</summary>
public sealed record TrashedPhotoDto(PhotoSummaryDto Photo, DateTime TrashedAt, DateTime PurgeAt);

public sealed record TrashPageDto(IReadOnlyList<TrashedPhotoDto> Items, string? NextCursor);

public sealed record TrashEmptiedDto(int Deleted);

/// <summary>
/// Deleting a photo puts it in the trash: it leaves the timeline, albums and share links at once, keeps its files and its
/// albums, and comes back in place when restored. <see cref="TrashPurge"/> deletes it for good after the retention.
/// </summary>
public static class TrashApi
{
    public const int MaxPhotosPerRequest = 1000;

    public static void MapTrash(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/trash").WithTags("Trash").RequireAuthorization();
        group.MapGet("/", GetTrashAsync).WithName("GetTrash");
        group.MapPost("/", MoveToTrashAsync).WithName("MoveToTrash");
        group.MapPost("/restore", RestoreAsync).WithName("RestoreFromTrash");
        group.MapPost("/empty", EmptyAsync).WithName("EmptyTrash");
        group.MapDelete("/{id:guid}", DeleteForGoodAsync).WithName("DeleteFromTrash");
    }

    /// <summary>The photos in the trash, the most recently deleted first.</summary>
    public static async Task<Results<Ok<TrashPageDto>, ProblemHttpResult>> GetTrashAsync(
        HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, TrashPurge purge, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (PhotosApi.PageProblem(cursor, limit, out var size, out var start) is { } problem)
        {
            return problem;
        }
        var userId = context.User.UserId();
        var query = db.Photos.AsNoTracking().Where(p => p.OwnerId == userId && p.TrashedAt != null);
        if (start is { } after)
        {
            query = query.Where(p => p.TrashedAt <= after.At && (p.TrashedAt < after.At || p.Id.CompareTo(after.Id) < 0));
        }
        var photos = await query.OrderByDescending(p => p.TrashedAt).ThenByDescending(p => p.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = photos.Count > size ? new TimelineCursor(photos[size - 1].TrashedAt!.Value, photos[size - 1].Id).Encode() : null;
        var links = PhotosApi.OwnerLinks(context, urls);
        var items = photos.Take(size).Select(p => new TrashedPhotoDto(p.ToSummary(links), p.TrashedAt!.Value, purge.PurgeAt(p.TrashedAt.Value))).ToList();
        return TypedResults.Ok(new TrashPageDto(items, next));
    }

    /// <summary>Puts the user's photos in the trash, all or none; one already there keeps the time it went in.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> MoveToTrashAsync(
        TrashPhotosDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await SetTrashedAsync(body, context, db, "No photos to delete", photos => photos.ExecuteUpdateAsync(
            photo => photo.SetProperty(p => p.TrashedAt, p => p.TrashedAt ?? now), cancellationToken), cancellationToken);
    }

    /// <summary>Takes the user's photos out of the trash, back into the timeline and their albums; all or none.</summary>
    public static Task<Results<NoContent, ProblemHttpResult>> RestoreAsync(
        TrashPhotosDto body, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken) =>
        SetTrashedAsync(body, context, db, "No photos to restore", photos => photos.ExecuteUpdateAsync(
            photo => photo.SetProperty(p => p.TrashedAt, (DateTime?)null), cancellationToken), cancellationToken);

    /// <summary>Deletes every photo in the user's trash for good, now.</summary>
    public static async Task<Ok<TrashEmptiedDto>> EmptyAsync(HttpContext context, TrashPurge purge, CancellationToken cancellationToken) =>
        TypedResults.Ok(new TrashEmptiedDto(await purge.EmptyAsync(context.User.UserId(), cancellationToken)));

    /// <summary>Deletes one photo in the user's trash for good, now; a photo that is not in it is not found.</summary>
    public static async Task<Results<NoContent, NotFound>> DeleteForGoodAsync(Guid id, HttpContext context, PhotoDeletion deletion, CancellationToken cancellationToken) =>
        await deletion.DeleteFromTrashAsync(context.User.UserId(), id, trashedBefore: null, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>One photo to the trash: what <c>DELETE /api/photos/{id}</c> does.</summary>
    internal static async Task<bool> MoveOneToTrashAsync(Guid ownerId, Guid photoId, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Photos.Where(p => p.Id == photoId && p.OwnerId == ownerId)
            .ExecuteUpdateAsync(photo => photo.SetProperty(p => p.TrashedAt, p => p.TrashedAt ?? now), cancellationToken) == 1;
    }

    /// <summary>
    /// Changes the named photos in one transaction, and keeps the change only when every one of them is the user's: an id
    /// of another user's photo or of none changes nothing, and is reported as not found like everywhere else.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetTrashedAsync(
        TrashPhotosDto body, HttpContext context, KeepsakeDbContext db, string noPhotosTitle, Func<IQueryable<Photo>, Task<int>> change,
        CancellationToken cancellationToken)
    {
        var wanted = (body.PhotoIds ?? []).Distinct().ToList();
        if (wanted.Count is 0 or > MaxPhotosPerRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: noPhotosTitle,
                detail: $"Send between 1 and {MaxPhotosPerRequest} photo ids in 'photoIds'.");
        }
        var userId = context.User.UserId();
        var changed = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await change(db.Photos.Where(p => p.OwnerId == userId && wanted.Contains(p.Id))) != wanted.Count)
            {
                return false;
            }
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
        return changed
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Photo not found",
                detail: "Some of these photos do not exist in your library, or were deleted for good; nothing was changed.");
    }
}
