using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Sharing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Albums;

public static class AlbumsApi
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
        return group;
    }

    public static async Task<Ok<List<AlbumDto>>> ListAsync(HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var albums = await Project(db, db.Albums.Where(a => a.OwnerId == userId).OrderByDescending(a => a.UpdatedAt)).ToListAsync(cancellationToken);
        return TypedResults.Ok(albums.Select(ToDto).ToList());
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

    public static async Task<Results<Ok<AlbumDto>, NotFound>> GetAsync(Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var album = await FindAsync(db, context, id, cancellationToken);
        return album is null ? TypedResults.NotFound() : TypedResults.Ok(album);
    }

    public static async Task<Results<Ok<AlbumDto>, NotFound, ValidationProblem>> RenameAsync(
        Guid id, AlbumNameDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ValidateName(body.Name) is { } invalid)
        {
            return invalid;
        }
        var userId = context.User.UserId();
        var name = body.Name.Trim();
        var now = time.GetUtcNow().UtcDateTime;
        var updated = await db.Albums.Where(a => a.Id == id && a.OwnerId == userId)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Name, name).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        return updated == 0 ? TypedResults.NotFound() : TypedResults.Ok((await FindAsync(db, context, id, cancellationToken))!);
    }

    /// <summary>Deletes the album and its share links; the photos stay in the library.</summary>
    public static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, ShareLinkCache shareLinks, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var album = db.Albums.Where(a => a.Id == id && a.OwnerId == userId);
        // The links go with the album (cascade): their cached entries must go too.
        var linkHashes = await db.ShareLinks.Where(l => album.Any(a => a.Id == l.AlbumId)).Select(l => l.TokenHash).ToListAsync(cancellationToken);
        var deleted = await album.ExecuteDeleteAsync(cancellationToken);
        await shareLinks.ForgetAsync(linkHashes, cancellationToken);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    /// <summary>Sets the cover to one of the album's photos, or back to the newest photo with null.</summary>
    public static async Task<Results<Ok<AlbumDto>, NotFound, ProblemHttpResult>> SetCoverAsync(
        Guid id, AlbumCoverDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var album = await db.Albums.FirstOrDefaultAsync(a => a.Id == id && a.OwnerId == userId, cancellationToken);
        if (album is null)
        {
            return TypedResults.NotFound();
        }
        if (body.PhotoId is { } photoId && !await db.AlbumPhotos.AnyAsync(p => p.AlbumId == id && p.PhotoId == photoId, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not in this album",
                detail: "The cover must be one of the album's photos; add the photo to the album first.");
        }
        album.CoverPhotoId = body.PhotoId;
        album.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok((await FindAsync(db, context, id, cancellationToken))!);
    }

    public static async Task<Results<Ok<PhotoPageDto>, ProblemHttpResult, NotFound>> GetPhotosAsync(
        Guid id, string? cursor, int? limit, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        if (!await db.Albums.AnyAsync(a => a.Id == id && a.OwnerId == userId, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        var page = await PhotosApi.PageAsync(PhotosOf(db, id), cursor, limit, "/api/photos", cancellationToken);
        return page.Result switch
        {
            Ok<PhotoPageDto> ok => ok,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected page result."),
        };
    }

    /// <summary>Adds the user's own photos to the album; a photo already in it is left as it is.</summary>
    public static async Task<Results<Ok<AlbumDto>, NotFound, ProblemHttpResult>> AddPhotosAsync(
        Guid id, AlbumPhotosDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var album = await db.Albums.FirstOrDefaultAsync(a => a.Id == id && a.OwnerId == userId, cancellationToken);
        if (album is null)
        {
            return TypedResults.NotFound();
        }
        var wanted = (body.PhotoIds ?? []).Distinct().ToList();
        if (wanted.Count is 0 or > MaxPhotosPerRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No photos to add",
                detail: $"Send between 1 and {MaxPhotosPerRequest} photo ids in 'photoIds'.");
        }
        var owned = await db.Photos.Where(p => p.OwnerId == userId && wanted.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken);
        if (owned.Count != wanted.Count)
        {
            // Another user's photo is reported exactly like a missing one.
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Photo not found",
                detail: "At least one of the photos does not exist in your library; nothing was added.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        for (var attempt = 1; ; attempt++)
        {
            var present = await db.AlbumPhotos.Where(p => p.AlbumId == id && wanted.Contains(p.PhotoId)).Select(p => p.PhotoId).ToListAsync(cancellationToken);
            db.AlbumPhotos.AddRange(wanted.Except(present).Select(photoId => new AlbumPhoto { AlbumId = id, PhotoId = photoId, AddedAt = now }));
            album.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A request adding the same photos at the same moment (a double click) got there first:
                // look again at what the album holds now, so adding stays idempotent.
                db.ChangeTracker.Clear();
                db.Albums.Attach(album);
            }
        }
        return TypedResults.Ok((await FindAsync(db, context, id, cancellationToken))!);
    }

    public static async Task<Results<NoContent, NotFound>> RemovePhotoAsync(
        Guid id, Guid photoId, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var album = await db.Albums.FirstOrDefaultAsync(a => a.Id == id && a.OwnerId == userId, cancellationToken);
        if (album is null)
        {
            return TypedResults.NotFound();
        }
        var removed = await db.AlbumPhotos.Where(p => p.AlbumId == id && p.PhotoId == photoId).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return TypedResults.NotFound();
        }
        if (album.CoverPhotoId == photoId)
        {
            album.CoverPhotoId = null;
        }
        album.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The photos in an album, for the owner's view and for share links.</summary>
    public static IQueryable<Photo> PhotosOf(KeepsakeDbContext db, Guid albumId) =>
        db.Photos.AsNoTracking().Where(p => db.AlbumPhotos.Any(ap => ap.AlbumId == albumId && ap.PhotoId == p.Id));

    private static async Task<AlbumDto?> FindAsync(KeepsakeDbContext db, HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var rows = await Project(db, db.Albums.Where(a => a.Id == id && a.OwnerId == userId)).ToListAsync(cancellationToken);
        return rows.Select(ToDto).FirstOrDefault();
    }

    private sealed record AlbumRow(Guid Id, string Name, int PhotoCount, Guid? Cover, DateTime CreatedAt, DateTime UpdatedAt);

    /// <summary>Albums with their photo count and cover: the chosen one, else the newest photo.</summary>
    private static IQueryable<AlbumRow> Project(KeepsakeDbContext db, IQueryable<Album> albums) =>
        albums.Select(a => new AlbumRow(
            a.Id,
            a.Name,
            a.Photos.Count,
            a.CoverPhotoId ?? db.Photos
                .Where(p => db.AlbumPhotos.Any(ap => ap.AlbumId == a.Id && ap.PhotoId == p.Id))
                .OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id)
                .Select(p => (Guid?)p.Id).FirstOrDefault(),
            a.CreatedAt,
            a.UpdatedAt));

    private static AlbumDto ToDto(AlbumRow row) =>
        new(row.Id, row.Name, row.PhotoCount, row.Cover, row.Cover is { } cover ? $"/api/photos/{cover}/thumbnail" : null, row.CreatedAt, row.UpdatedAt);

    private static ValidationProblem? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"An album needs a name of 1 to {MaxNameLength} characters."] }, title: "Invalid album name")
            : null;
}
