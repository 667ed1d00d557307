using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keepsake.WebDav;

/// <summary>
/// MOVE and COPY (RFC 4918 sections 9.8 and 9.9) where they mean something for a photo library: a photo moved or copied
/// into an album folder joins that album (a move out of another album's folder also leaves that one), and an album folder
/// moved within <c>Albums/</c> renames the album. Everything else is refused with the reason: names under <c>Photos/</c>
/// come from the photos, and another server or another user's folder is no destination (502).
/// </summary>
public static class DavMoves
{
    public static async Task<IResult> MoveOrCopyAsync(string? path, HttpContext context, DavTree tree, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var move = context.Request.Method == WebDavApi.Move;
        var owner = context.User.UserId();
        var source = await tree.FindAsync(owner, WebDavApi.Segments(path), cancellationToken);
        if (source is null)
        {
            return DavResults.NotFound();
        }
        var header = context.Request.Headers["Destination"].ToString().Trim();
        if (header.Length == 0 || !Uri.TryCreate(header, UriKind.RelativeOrAbsolute, out var destinationUri))
        {
            return DavResults.Problem(StatusCodes.Status400BadRequest, "No destination", "MOVE and COPY need a 'Destination' header with the target's URL.");
        }
        if (DestinationSegments(context, destinationUri) is not { } destination)
        {
            return DavResults.Problem(StatusCodes.Status502BadGateway, "Destination elsewhere",
                "The destination is not in your WebDAV folder on this server; copy between servers or users through your client instead.");
        }
        if (destination.SequenceEqual(source.Segments, StringComparer.OrdinalIgnoreCase))
        {
            return DavResults.Problem(StatusCodes.Status403Forbidden, "Same place", "The source and the destination are the same.");
        }
        var overwrite = !context.Request.Headers["Overwrite"].ToString().Trim().Equals("F", StringComparison.OrdinalIgnoreCase);
        var existing = await tree.FindAsync(owner, destination, cancellationToken);
        var target = destination.Length >= 2 ? await tree.FindAsync(owner, destination[..2], cancellationToken) : null;
        return source switch
        {
            { Photo: { } } when destination is [DavNames.Albums, _, _] && target is { Kind: DavKind.Album } =>
                await IntoAlbumAsync(context, db, time, source, target.Album!, existing, overwrite, move, cancellationToken),
            { Kind: DavKind.Album } when move && destination is [DavNames.Albums, var name] =>
                existing is not null && !existing.Album!.Id.Equals(source.Album!.Id)
                    ? DavResults.Problem(StatusCodes.Status412PreconditionFailed, "Album exists",
                        $"There is an album named '{name}' already; albums are not merged or replaced by a move.")
                    : await RenameAsync(context, db, time, source.Album!, name, cancellationToken),
            { Photo: { } } when destination is [DavNames.Albums, _, _] =>
                DavResults.Problem(StatusCodes.Status409Conflict, "No such album folder", "The destination album does not exist; make it with MKCOL first."),
            _ => DavResults.Problem(StatusCodes.Status403Forbidden, "Not a move this library makes",
                "Photos can be moved or copied into an album folder (Albums/NAME/), and an album folder can be renamed within Albums/; "
                + "names under Photos/ come from the photos' file names and dates and cannot be changed."),
        };
    }

    private static async Task<IResult> IntoAlbumAsync(
        HttpContext context, KeepsakeDbContext db, TimeProvider time, DavResource source, Album album, DavResource? existing, bool overwrite, bool move,
        CancellationToken cancellationToken)
    {
        if (existing is not null && !overwrite)
        {
            return DavResults.Problem(StatusCodes.Status412PreconditionFailed, "Destination exists", "Something is at the destination and 'Overwrite: F' forbids replacing it.");
        }
        var photo = source.Photo!;
        if ((await AlbumsApi.AddPhotosAsync(album.Id, new AlbumPhotosDto([photo.Id]), context, db, time, cancellationToken)).Result is ProblemHttpResult added)
        {
            return added;
        }
        if (move && source.Album is { } from && from.Id != album.Id
            && (await AlbumsApi.RemovePhotoAsync(from.Id, photo.Id, context, db, time, cancellationToken)).Result is ProblemHttpResult removed)
        {
            return removed;
        }
        return existing is null ? TypedResults.Created() : TypedResults.NoContent();
    }

    private static async Task<IResult> RenameAsync(HttpContext context, KeepsakeDbContext db, TimeProvider time, Album album, string name, CancellationToken cancellationToken) =>
        (await AlbumsApi.RenameAsync(album.Id, new AlbumNameDto(name), context, db, time, cancellationToken)).Result switch
        {
            Ok<AlbumDto> => TypedResults.Created(),
            var other => other,
        };

    /// <summary>The destination's segments in the signed-in user's tree; null when it is on another host or in another folder.</summary>
    private static string[]? DestinationSegments(HttpContext context, Uri destination)
    {
        var request = context.Request;
        if (destination.IsAbsoluteUri && !string.Equals(destination.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var absolutePath = destination.IsAbsoluteUri ? destination.AbsolutePath : destination.OriginalString.Split('?')[0];
        var segments = absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var basePath = request.PathBase.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var prefix = basePath.Length + 2;
        return segments.Length >= prefix && segments.Take(basePath.Length).SequenceEqual(basePath)
            && segments[basePath.Length] == "dav" && string.Equals(segments[basePath.Length + 1], context.User.Identity!.Name, StringComparison.OrdinalIgnoreCase)
            ? segments[prefix..]
            : null;
    }
}
