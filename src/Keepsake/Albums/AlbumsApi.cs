using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Keepsake.Albums;

/// <summary>Albums and their photos. Every change runs under the album's lock (<see cref="AlbumLock"/>), so one racing the
/// album's or a photo's deletion answers 404, never 500.</summary>
public static partial class AlbumsApi
{
    public const int MaxNameLength = 200;
    public const int MaxPhotosPerRequest = 1000;

    public static RouteGroupBuilder MapAlbums(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/albums").WithTags("Albums").RequireAuthorization();
        group.MapGet("/", ListAsync).WithName("ListAlbums");
        group.MapPost("/", CreateAsync).WithName("CreateAlbum");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAlbum");
        group.MapPut("/{id:guid}", RenameAsync).WithName("RenameAlbum");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteAlbum");
        group.MapPut("/{id:guid}/cover", SetCoverAsync).WithName("SetAlbumCover");
        group.MapGet("/{id:guid}/photos", GetPhotosAsync).WithName("GetAlbumPhotos");
        group.MapPost("/{id:guid}/photos", AddPhotosAsync).WithName("AddAlbumPhotos");
        group.MapDelete("/{id:guid}/photos/{photoId:guid}", RemovePhotoAsync).WithName("RemoveAlbumPhoto");
        group.MapGet("/{id:guid}/download", AlbumDownload.DownloadAsync).WithName("DownloadAlbum").Produces<Stream>(StatusCodes.Status200OK, "application/zip");
        return group;
    }

    public static async Task<Ok<List<AlbumDto>>> ListAsync(HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var albums = await Project(db, db.Albums.Where(a => a.OwnerId == userId).OrderByDescending(a => a.UpdatedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(albums.Select(a => ToDto(a, context)).ToList());
    }

    public static async Task<Results<Created<AlbumDto>, ValidationProblem>> CreateAsync(
        AlbumNameDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ValidateName(body.Name) is { } invalid)
        {
            return invalid;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var album = new Album { Id = Guid.CreateVersion7(), OwnerId = context.User.UserId(), Name = body.Name.Trim(), CreatedAt = now, UpdatedAt = now };
        db.Albums.Add(album);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/albums/{album.Id}", new AlbumDto(album.Id, album.Name, 0, null, null, album.CreatedAt, album.UpdatedAt));
    }

    public static async Task<Results<Ok<AlbumDto>, ProblemHttpResult>> GetAsync(Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var album = await FindAsync(db, context, id, cancellationToken);
        return album is null ? AlbumNotFound() : TypedResults.Ok(album);
    }

    public static async Task<Results<Ok<AlbumDto>, ProblemHttpResult, ValidationProblem>> RenameAsync(
        Guid id, AlbumNameDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ValidateName(body.Name) is { } invalid)
        {
            return invalid;
        }
        var name = body.Name.Trim();
        var now = time.GetUtcNow().UtcDateTime;
        return await AlbumLock.RunAsync<Results<Ok<AlbumDto>, ProblemHttpResult, ValidationProblem>>(db, async transaction =>
        {
            var renamed = await OwnedAlbum(db, context, id)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.Name, name).SetProperty(x => x.UpdatedAt, now), cancellationToken);
            return renamed == 0 ? AlbumNotFound() : TypedResults.Ok(await FindThenCommitAsync(db, transaction, context, id, cancellationToken));
        }, cancellationToken);
    }

    /// <summary>Deletes the album and its share links; the photos stay in the library.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, [FromServices] IEnumerable<IAlbumDeletingHandler> deletingHandlers,
        CancellationToken cancellationToken)
    {
        var album = OwnedAlbum(db, context, id);
        // What hangs on the album (share links) is another feature's: each is told under the lock and cleans up after the commit.
        var cleanUps = await AlbumLock.RunAsync<List<Func<CancellationToken, Task>>?>(db, async transaction =>
        {
            if (!await album.TakeAsync(cancellationToken))
            {
                return null;
            }
            var cleanUps = new List<Func<CancellationToken, Task>>();
            foreach (var handler in deletingHandlers)
            {
                cleanUps.Add(await handler.AlbumDeletingAsync(id, cancellationToken));
            }
            await album.ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return cleanUps;
        }, cancellationToken);
        if (cleanUps is null)
        {
            return AlbumNotFound();
        }
        foreach (var cleanUp in cleanUps)
        {
            await cleanUp(cancellationToken);
        }
        return TypedResults.NoContent();
    }

    /// <summary>The user's album with this id (none when it is someone else's): what every change locks first.</summary>
    public static IQueryable<Album> OwnedAlbum(KeepsakeDbContext db, HttpContext context, Guid id)
    {
        var userId = context.User.UserId();
        return db.Albums.Where(a => a.Id == id && a.OwnerId == userId);
    }

    /// <summary>Another user's album is reported exactly like a missing one.</summary>
    public static ProblemHttpResult AlbumNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Album not found",
            detail: "This album does not exist, or it was deleted.");

    private static async Task<AlbumDto?> FindAsync(KeepsakeDbContext db, HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        var rows = await Project(db, OwnedAlbum(db, context, id)).ToListAsync(cancellationToken);
        return rows.Select(a => ToDto(a, context)).FirstOrDefault();
    }

    /// <summary>The changed album, read before the commit while its lock still keeps it from being deleted.</summary>
    private static async Task<AlbumDto> FindThenCommitAsync(
        KeepsakeDbContext db, IDbContextTransaction transaction, HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        var album = await FindAsync(db, context, id, cancellationToken)
            ?? throw new InvalidOperationException($"Album {id} is gone while locked.");
        await transaction.CommitAsync(cancellationToken);
        return album;
    }

    private sealed record AlbumRow(Guid Id, Guid OwnerId, string Name, int PhotoCount, Guid? Cover, string? CoverSha256, DateTime CreatedAt, DateTime UpdatedAt);

    /// <summary>Albums with their photo count and cover: the chosen one, else the newest photo; photos in the trash do not count.</summary>
    private static IQueryable<AlbumRow> Project(KeepsakeDbContext db, IQueryable<Album> albums) =>
        albums.Select(a => new
        {
            Album = a,
            Count = db.Set<Photo>().Count(p => p.TrashedAt == null && db.Set<AlbumPhoto>().Any(ap => ap.AlbumId == a.Id && ap.PhotoId == p.Id)),
            Newest = db.Set<Photo>()
                .Where(p => p.TrashedAt == null && db.Set<AlbumPhoto>().Any(ap => ap.AlbumId == a.Id && ap.PhotoId == p.Id))
                .OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id)
                .FirstOrDefault(),
            Chosen = db.Set<Photo>().FirstOrDefault(p => p.Id == a.CoverPhotoId && p.TrashedAt == null),
        }).Select(r => new AlbumRow(
            r.Album.Id,
            r.Album.OwnerId,
            r.Album.Name,
            r.Count,
            r.Chosen != null ? r.Chosen.Id : r.Newest == null ? null : (Guid?)r.Newest.Id,
            r.Chosen != null ? r.Chosen.Sha256 : r.Newest == null ? null : r.Newest.Sha256,
            r.Album.CreatedAt,
            r.Album.UpdatedAt));

    /// <summary>The album as its owner sees it; the cover by a thumbnail URL signed for them.</summary>
    private static AlbumDto ToDto(AlbumRow row, HttpContext context) =>
        new(row.Id, row.Name, row.PhotoCount, row.Cover,
            row.Cover is { } cover && row.CoverSha256 is { } sha256
                ? context.RequestServices.GetRequiredService<SignedPhotoUrls>().For(row.OwnerId, cover, sha256, PhotoVariant.Thumbnail, PhotoViewer.User(row.OwnerId))
                : null,
            row.CreatedAt, row.UpdatedAt);

    private static ValidationProblem? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"An album needs a name of 1 to {MaxNameLength} characters."] }, title: "Invalid album name")
            : null;
}
