using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Albums;

/// <summary>What an album holds: its photos and its cover.</summary>
public static partial class AlbumsApi
{
    public static async Task<Results<Ok<PhotoPageDto>, ProblemHttpResult>> GetPhotosAsync(
        Guid id, string? cursor, int? limit, HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, CancellationToken cancellationToken)
    {
        if (!await OwnedAlbum(db, context, id).AnyAsync(cancellationToken))
        {
            return AlbumNotFound();
        }
        return (await PhotosApi.PageAsync(PhotosOf(db, id), cursor, limit, PhotosApi.OwnerLinks(context, urls), cancellationToken)).Result switch
        {
            Ok<PhotoPageDto> ok => ok,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected page result."),
        };
    }

    /// <summary>Adds the user's own photos to the album; a photo already in it is left as it is.</summary>
    public static Task<Results<Ok<AlbumDto>, ProblemHttpResult>> AddPhotosAsync(
        Guid id, AlbumPhotosDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        AlbumLock.RunAsync<Results<Ok<AlbumDto>, ProblemHttpResult>>(db, async transaction =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (!await OwnedAlbum(db, context, id).TouchAsync(now, cancellationToken))
            {
                return AlbumNotFound();
            }
            var wanted = (body.PhotoIds ?? []).Distinct().ToList();
            if (wanted.Count is 0 or > MaxPhotosPerRequest)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No photos to add",
                    detail: $"Send between 1 and {MaxPhotosPerRequest} photo ids in 'photoIds'.");
            }
            // Under the album's lock no other request adds to it: a photo found in it needs no insert (and is the user's).
            var present = await db.AlbumPhotos.Where(p => p.AlbumId == id && wanted.Contains(p.PhotoId)).Select(p => p.PhotoId).ToListAsync(cancellationToken);
            var added = wanted.Except(present).ToList();
            if (await OwnedPhotos(db, context, added).TakeAsync(cancellationToken) != added.Count)
            {
                return PhotoNotFound("At least one of the photos does not exist in your library, or it was just deleted; nothing was added.");
            }
            db.AlbumPhotos.AddRange(added.Select(photoId => new AlbumPhoto { AlbumId = id, PhotoId = photoId, AddedAt = now }));
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(await FindThenCommitAsync(db, transaction, context, id, cancellationToken));
        }, cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> RemovePhotoAsync(
        Guid id, Guid photoId, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        AlbumLock.RunAsync<Results<NoContent, ProblemHttpResult>>(db, async transaction =>
        {
            // The cover is let go in the statement that locks the album: a cover being chosen meanwhile waits for
            // this change, then finds the photo gone from the album.
            var locked = await OwnedAlbum(db, context, id).ExecuteUpdateAsync(a => a
                .SetProperty(x => x.CoverPhotoId, x => x.CoverPhotoId == photoId ? null : x.CoverPhotoId)
                .SetProperty(x => x.UpdatedAt, time.GetUtcNow().UtcDateTime), cancellationToken);
            if (locked == 0)
            {
                return AlbumNotFound();
            }
            if (await db.AlbumPhotos.Where(p => p.AlbumId == id && p.PhotoId == photoId).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not in this album",
                    detail: "This photo is not in the album; it may have been removed or deleted already.");
            }
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.NoContent();
        }, cancellationToken);

    /// <summary>Sets the cover to one of the album's photos, or back to the newest photo with null.</summary>
    public static Task<Results<Ok<AlbumDto>, ProblemHttpResult>> SetCoverAsync(
        Guid id, AlbumCoverDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        AlbumLock.RunAsync<Results<Ok<AlbumDto>, ProblemHttpResult>>(db, async transaction =>
        {
            var album = OwnedAlbum(db, context, id);
            if (!await album.TouchAsync(time.GetUtcNow().UtcDateTime, cancellationToken))
            {
                return AlbumNotFound();
            }
            if (body.PhotoId is { } photoId && await CoverProblemAsync(db, context, id, photoId, cancellationToken) is { } problem)
            {
                return problem;
            }
            await album.ExecuteUpdateAsync(a => a.SetProperty(x => x.CoverPhotoId, body.PhotoId), cancellationToken);
            return TypedResults.Ok(await FindThenCommitAsync(db, transaction, context, id, cancellationToken));
        }, cancellationToken);

    /// <summary>
    /// Why the photo cannot become the (locked) album's cover, if it cannot. It is locked first, so it cannot be deleted
    /// before the cover is written: the photo is gone (404), or not in the album (400).
    /// </summary>
    private static async Task<ProblemHttpResult?> CoverProblemAsync(KeepsakeDbContext db, HttpContext context, Guid albumId, Guid photoId, CancellationToken cancellationToken)
    {
        if (await OwnedPhotos(db, context, [photoId]).TakeAsync(cancellationToken) == 0)
        {
            return PhotoNotFound("The photo does not exist in your library, or it was just deleted; choose another cover.");
        }
        return await db.AlbumPhotos.AnyAsync(p => p.AlbumId == albumId && p.PhotoId == photoId, cancellationToken)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not in this album",
                detail: "The cover must be one of the album's photos; add the photo to the album first.");
    }

    /// <summary>The photos in an album, for the owner's view and for share links; those in the trash are left out.</summary>
    public static IQueryable<Photo> PhotosOf(KeepsakeDbContext db, Guid albumId) =>
        db.Photos.AsNoTracking().Where(p => p.TrashedAt == null && db.Set<AlbumPhoto>().Any(ap => ap.AlbumId == albumId && ap.PhotoId == p.Id));

    /// <summary>The user's photos among <paramref name="photoIds"/>: another user's photo, or one in the trash, is reported exactly like a missing one.</summary>
    private static IQueryable<Photo> OwnedPhotos(KeepsakeDbContext db, HttpContext context, List<Guid> photoIds)
    {
        var userId = context.User.UserId();
        return db.Photos.Where(p => p.OwnerId == userId && p.TrashedAt == null && photoIds.Contains(p.Id));
    }

    private static ProblemHttpResult PhotoNotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Photo not found", detail: detail);
}
