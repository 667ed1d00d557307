using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Photos.Trash;
using Keepsake.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Keepsake.WebDav;

/// <summary>
/// PUT, MKCOL and DELETE. A PUT is a form upload's ingest (the same staging, checks, dedupe and processing) and, into an
/// album folder, an addition to the album too; MKCOL makes an album; DELETE puts a photo in the trash, takes it out of an
/// album, or deletes an album (never its photos). Every change goes through the feature that owns it.
/// </summary>
public static class DavWrites
{
    public static async Task<IResult> PutAsync(
        string? path, HttpContext context, DavTree tree, PhotoIngestor ingestor, KeepsakeDbContext db, TimeProvider time, KeepsakeMetrics metrics,
        CancellationToken cancellationToken)
    {
        var segments = WebDavApi.Segments(path);
        var owner = context.User.UserId();
        if (segments.Length == 0 || await tree.FindAsync(owner, segments, cancellationToken) is { IsCollection: true })
        {
            return DavResults.Problem(StatusCodes.Status405MethodNotAllowed, "A folder", "This path is a folder; PUT a photo into it by its file name.");
        }
        if (context.Request.Headers.ContentRange.Count > 0)
        {
            // RFC 9110 section 14.5: a server that does not apply partial PUTs must refuse them, not store the part as the whole.
            return DavResults.Problem(StatusCodes.Status400BadRequest, "Partial PUT", "Send the whole photo in one PUT, without 'Content-Range'; nothing was stored.");
        }
        Album? album = null;
        if (segments[0] == DavNames.Albums)
        {
            if (segments.Length != 3 || await tree.FindAsync(owner, segments[..2], cancellationToken) is not { Album: { } found })
            {
                return DavResults.Problem(StatusCodes.Status409Conflict, "No such album folder",
                    "Put photos straight into an album's folder (Albums/NAME/photo.jpg); make the folder with MKCOL first.");
            }
            album = found;
        }
        var fileName = PhotoIngestor.SafeFileName(segments[^1]);
        StagedFile? staged = null;
        try
        {
            Rejection? rejection;
            try
            {
                (staged, rejection) = await ingestor.StageAsync(context.Request.Body, fileName, cancellationToken);
            }
            catch (Exception e) when (e is BadHttpRequestException or IOException && StorageFault.Classify(e) is null)
            {
                metrics.UploadFailed(UploadFailureReason.Malformed);
                return DavResults.Problem(StatusCodes.Status400BadRequest, "Malformed upload", "The upload could not be read to the end; nothing was stored.");
            }
            if (rejection is not null)
            {
                return PhotosApi.Refused(metrics, rejection, fileName);
            }
            var (ingested, refusal) = await PhotosApi.IngestOneAsync(ingestor, metrics, owner, staged!, fileName);
            if (ingested is null)
            {
                return refusal!;
            }
            var joined = album is null ? null : await AlbumsApi.AddPhotosAsync(album.Id, new AlbumPhotosDto([ingested.Photo.Id]), context, db, time, CancellationToken.None);
            if (joined?.Result is ProblemHttpResult problem)
            {
                return problem;
            }
            context.Response.Headers.ETag = PhotoFiles.EntityTag(ingested.Photo, "original").ToString();
            return ingested.Duplicate ? TypedResults.NoContent() : TypedResults.Created();
        }
        finally
        {
            staged?.Dispose();
        }
    }

    /// <summary>Makes an album of <c>Albums/NAME</c>; folders anywhere else come from the photos and cannot be made.</summary>
    public static async Task<IResult> MkcolAsync(string? path, HttpContext context, DavTree tree, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var segments = WebDavApi.Segments(path);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            return DavResults.Problem(StatusCodes.Status415UnsupportedMediaType, "MKCOL takes no body", "Send MKCOL without a body.");
        }
        var owner = context.User.UserId();
        // Clients make a folder before each file they put in it, several at a time (rclone does): the owner's row is locked
        // first, so two MKCOLs of one album take turns and the second finds the first's album instead of making another.
        return await UserTurns.InTurnAsync(db, owner, async () =>
        {
            if (await tree.FindAsync(owner, segments, cancellationToken) is not null)
            {
                return DavResults.Problem(StatusCodes.Status405MethodNotAllowed, "Already there", "Something already exists at this path.");
            }
            if (segments is not [DavNames.Albums, var name])
            {
                return DavResults.Problem(StatusCodes.Status403Forbidden, "Only albums are folders you make",
                    "Folders under Photos/ come from the dates the photos were taken; make an album instead: MKCOL Albums/NAME/.");
            }
            var created = (await AlbumsApi.CreateAsync(new AlbumNameDto(name), context, db, time, cancellationToken)).Result;
            return created is Created<AlbumDto> ? TypedResults.Created() : created;
        }, cancellationToken);
    }

    public static async Task<IResult> DeleteAsync(
        string? path, HttpContext context, DavTree tree, KeepsakeDbContext db, TimeProvider time, [FromServices] IEnumerable<IAlbumDeletingHandler> albumHandlers,
        CancellationToken cancellationToken)
    {
        var owner = context.User.UserId();
        var resource = await tree.FindAsync(owner, WebDavApi.Segments(path), cancellationToken);
        switch (resource)
        {
            case null:
                return DavResults.NotFound();
            case { Photo: { } photo, Album: { } album }:
                return (await AlbumsApi.RemovePhotoAsync(album.Id, photo.Id, context, db, time, cancellationToken)).Result;
            case { Photo: { } photo }:
                return await TrashApi.MoveOneToTrashAsync(owner, photo.Id, db, time, cancellationToken) ? TypedResults.NoContent() : DavResults.NotFound();
            case { Kind: DavKind.Album, Album: { } album }:
                return (await AlbumsApi.DeleteAsync(album.Id, context, db, albumHandlers, cancellationToken)).Result;
            default:
                return DavResults.Problem(StatusCodes.Status403Forbidden, "Not a folder you can delete",
                    "The top folders, years and months come from your photos and cannot be deleted; delete the photos in them instead.");
        }
    }
}
