using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Sharing;

public static class SharingApi
{
    public const int MaxPasswordLength = 256;

    /// <summary>A link password is all that stands between a leaked link and the album: too short is guessed.</summary>
    public const int MinPasswordLength = 8;

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder routes)
    {
        var owner = routes.MapGroup("/api").WithTags("Sharing").RequireAuthorization();
        owner.MapPost("/albums/{id:guid}/shares", CreateAsync).WithName("CreateShare");
        owner.MapGet("/albums/{id:guid}/shares", ListAsync).WithName("ListShares");
        owner.MapDelete("/shares/{shareId:guid}", RevokeAsync).WithName("RevokeShare");

        var visitor = routes.MapGroup("/api/s/{token}").WithTags("Shared album").AllowAnonymous();
        visitor.MapGet("/", GetSharedAlbumAsync).WithName("GetSharedAlbum").Produces<SharedAlbumDto>();
        visitor.MapPost("/unlock", UnlockAsync).WithName("UnlockShare").Accepts<SharePasswordDto>("application/json")
            .Produces(StatusCodes.Status204NoContent);
        visitor.MapGet("/photos", GetSharedPhotosAsync).WithName("GetSharedPhotos").Produces<PhotoPageDto>();
        visitor.MapGet("/photos/{photoId:guid}", GetSharedPhotoAsync).WithName("GetSharedPhoto").Produces<PhotoDetailsDto>();
        visitor.MapGet("/photos/{photoId:guid}/{variant}", GetSharedPhotoFileAsync).WithName("GetSharedPhotoFile")
            .ProducesPhotoFile();
        return routes;
    }

    public static async Task<Results<Created<CreatedShareDto>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        Guid id, CreateShareDto body, HttpContext context, KeepsakeDbContext db, IPasswordHasher<ShareLink> hasher, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await AlbumsApi.OwnedAlbum(db, context, id).AnyAsync(cancellationToken))
        {
            return AlbumsApi.AlbumNotFound();
        }
        var now = time.GetUtcNow().UtcDateTime;
        var errors = new Dictionary<string, string[]>();
        var expiresAt = body.ExpiresAt?.ToUniversalTime();
        if (expiresAt <= now)
        {
            errors["expiresAt"] = ["The expiry must be in the future."];
        }
        if (body.Password is { } password && (password.Length < MinPasswordLength || password.Length > MaxPasswordLength))
        {
            errors["password"] = [$"A link password needs {MinPasswordLength} to {MaxPasswordLength} characters; leave it out for no password."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The link could not be created");
        }
        var token = ShareTokens.NewToken();
        var link = new ShareLink
        {
            Id = Guid.CreateVersion7(),
            AlbumId = id,
            TokenHash = ShareTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = expiresAt,
            IncludeLocation = body.IncludeLocation,
        };
        if (body.Password is not null)
        {
            link.PasswordHash = hasher.HashPassword(link, body.Password);
        }
        if (!await AddToAlbumAsync(db, context, link, cancellationToken))
        {
            return AlbumsApi.AlbumNotFound();
        }
        return TypedResults.Created($"/api/albums/{id}/shares",
            new CreatedShareDto(link.Id, token, $"/s/{token}", link.ExpiresAt, link.PasswordHash is not null, link.CreatedAt, link.IncludeLocation));
    }

    /// <summary>
    /// Stores the link under its album's lock, so a delete of the album either came first (false: the album is gone)
    /// or waits for the link and takes it, and its cache entry, along. The password is hashed before: not under the lock.
    /// </summary>
    private static Task<bool> AddToAlbumAsync(KeepsakeDbContext db, HttpContext context, ShareLink link, CancellationToken cancellationToken) =>
        AlbumLock.RunAsync(db, async transaction =>
        {
            if (!await AlbumsApi.OwnedAlbum(db, context, link.AlbumId).TakeAsync(cancellationToken))
            {
                return false;
            }
            db.ShareLinks.Add(link);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public static async Task<Results<Ok<List<ShareDto>>, NotFound>> ListAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        if (!await db.Albums.AnyAsync(a => a.Id == id && a.OwnerId == userId, cancellationToken))
        {
            return TypedResults.NotFound();
        }
        var now = time.GetUtcNow().UtcDateTime;
        var links = await db.ShareLinks.AsNoTracking().Where(l => l.AlbumId == id).OrderByDescending(l => l.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(links.Select(l => new ShareDto(l.Id, l.ExpiresAt, l.PasswordHash is not null, l.CreatedAt, l.RevokedAt,
            l.RevokedAt is null && (l.ExpiresAt is null || l.ExpiresAt > now), l.IncludeLocation)).ToList());
    }

    public static async Task<Results<NoContent, NotFound>> RevokeAsync(
        Guid shareId, HttpContext context, KeepsakeDbContext db, ShareLinkCache links, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var now = time.GetUtcNow().UtcDateTime;
        var link = db.ShareLinks.Where(l => l.Id == shareId && db.Set<Album>().Any(a => a.Id == l.AlbumId && a.OwnerId == userId));
        var tokenHash = await link.Select(l => l.TokenHash).FirstOrDefaultAsync(cancellationToken);
        if (tokenHash is null)
        {
            return TypedResults.NotFound();
        }
        // Nothing to revoke when the album was deleted since, links and their cache entries with it.
        if (await link.ExecuteUpdateAsync(l => l.SetProperty(x => x.RevokedAt, x => x.RevokedAt ?? now), cancellationToken) == 0)
        {
            return TypedResults.NotFound();
        }
        await links.ForgetAsync([tokenHash], cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> GetSharedAlbumAsync(string token, HttpContext context, ShareAccess access, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var share = await access.ResolveAsync(context, token, cancellationToken);
        if (Denied(share) is { } denied)
        {
            return denied;
        }
        var album = await db.Albums.AsNoTracking().FirstOrDefaultAsync(a => a.Id == share.Link!.AlbumId, cancellationToken);
        if (album is null)
        {
            return NotFound();
        }
        var photos = AlbumsApi.PhotosOf(db, album.Id);
        var count = await photos.CountAsync(cancellationToken);
        var cover = album.CoverPhotoId ?? await photos.OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(new SharedAlbumDto(album.Name, count, cover));
    }

    /// <summary>
    /// Failures count per link, from wherever they come, and per client (an IPv4 address, an IPv6 /64): guessing
    /// from many addresses is as slow as from one. Nothing is read of the body before the link is found and the
    /// throttle has had its say.
    /// </summary>
    public static async Task<IResult> UnlockAsync(
        string token, HttpContext context, ShareAccess access, IPasswordHasher<ShareLink> hasher, FailedAttemptThrottle throttle, CancellationToken cancellationToken)
    {
        var share = await access.ResolveAsync(context, token, cancellationToken);
        if (share.State == ShareState.NotFound)
        {
            return NotFound();
        }
        var link = share.Link!;
        if (link.PasswordHash is null)
        {
            return TypedResults.NoContent();
        }
        var clientKey = FailedAttemptThrottle.KeyFor(context, "share");
        var linkKey = $"share-link:{link.Id:N}";
        if (throttle.RetryAfter(clientKey, linkKey) is { } wait)
        {
            return AccountsApi.TooManyAttempts(context, wait);
        }
        var (body, problem) = await RequestLimits.ReadJsonAsync<SharePasswordDto>(context);
        if (problem is not null)
        {
            return problem;
        }
        var password = body?.Password ?? "";
        var stored = new ShareLink { Id = link.Id, AlbumId = link.AlbumId, TokenHash = ShareTokens.Hash(token), PasswordHash = link.PasswordHash };
        if (password.Length > MaxPasswordLength || hasher.VerifyHashedPassword(stored, link.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            throttle.RecordFailure(clientKey);
            throttle.RecordFailure(linkKey);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong password",
                detail: "That is not the password of this link.", extensions: new Dictionary<string, object?> { ["passwordRequired"] = true });
        }
        access.RememberUnlock(context, token, link);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> GetSharedPhotosAsync(
        string token, string? cursor, int? limit, HttpContext context, ShareAccess access, KeepsakeDbContext db, SignedPhotoUrls urls, CancellationToken cancellationToken)
    {
        var share = await access.ResolveAsync(context, token, cancellationToken);
        if (Denied(share) is { } denied)
        {
            return denied;
        }
        return (await PhotosApi.PageAsync(AlbumsApi.PhotosOf(db, share.Link!.AlbumId), cursor, limit, VisitorLinks(token, share.Link, urls), cancellationToken)).Result;
    }

    public static async Task<IResult> GetSharedPhotoAsync(
        string token, Guid photoId, HttpContext context, ShareAccess access, KeepsakeDbContext db, SignedPhotoUrls urls, CancellationToken cancellationToken)
    {
        var (denied, photo, link) = await FindSharedPhotoAsync(token, photoId, context, access, db, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }
        var details = photo!.ToDetails(VisitorLinks(token, link!, urls));
        return TypedResults.Ok(link!.IncludeLocation ? details : details with { Camera = null, Location = null, Place = null });
    }

    public static async Task<IResult> GetSharedPhotoFileAsync(
        string token, Guid photoId, string variant, HttpContext context, ShareAccess access, KeepsakeDbContext db, IBlobStore blobs,
        SharedPhotoFiles hiddenPlace, CancellationToken cancellationToken)
    {
        if (!PhotoFiles.TryParseVariant(variant, out var kind))
        {
            return NotFound();
        }
        var (denied, photo, link) = await FindSharedPhotoAsync(token, photoId, context, access, db, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }
        return link!.IncludeLocation
            ? await PhotoFiles.ServeAsync(context, blobs, photo!, kind, cancellationToken)
            : await hiddenPlace.ServeWithoutPlaceAsync(context, photo!, kind, cancellationToken);
    }

    /// <summary>
    /// Links for the visitors of a share link: thumbnails and previews by URLs signed for the link (cleaned of the place
    /// unless it includes it), so they stop serving soon after the link is revoked; originals through the link's route.
    /// </summary>
    private static PhotoLinks VisitorLinks(string token, CachedShareLink link, SignedPhotoUrls urls) =>
        new($"/api/s/{token}/photos", urls, PhotoViewer.ShareLink(link.Id, link.IncludeLocation));

    private static async Task<(IResult? Denied, Photo? Photo, CachedShareLink? Link)> FindSharedPhotoAsync(
        string token, Guid photoId, HttpContext context, ShareAccess access, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var share = await access.ResolveAsync(context, token, cancellationToken);
        if (Denied(share) is { } denied)
        {
            return (denied, null, null);
        }
        var photo = await AlbumsApi.PhotosOf(db, share.Link!.AlbumId).FirstOrDefaultAsync(p => p.Id == photoId, cancellationToken);
        return photo is null ? (NotFound(), null, null) : (null, photo, share.Link);
    }

    private static IResult? Denied(ResolvedShare share) => share.State switch
    {
        ShareState.NotFound => NotFound(),
        ShareState.PasswordRequired => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Password required",
            detail: "This album is protected by a password; enter it to see the photos.", extensions: new Dictionary<string, object?> { ["passwordRequired"] = true }),
        _ => null,
    };

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Link not found",
            detail: "This link does not exist, has expired or was revoked. Ask the person who shared it for a new one.");
}
