using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>The SHA-256 hashes (hex, either case) of files a device holds.</summary>
public sealed record PhotoExistenceDto(List<string>? Sha256);

/// <summary>Those of the asked hashes the caller's library does not hold, as the request spelled them, each once, in its order.</summary>
public sealed record MissingPhotosDto(List<string> Missing);

/// <summary>
/// Lets a phone upload only what the server lacks. A photo is present when an upload of the same bytes would be answered
/// as a duplicate of it (<see cref="PhotoIngestor"/> dedupes by owner and SHA-256), so a photo in the trash counts as present;
/// another user's photo with the same bytes does not.
/// </summary>
public static class PhotoExistenceApi
{
    public const int MaxHashes = 5000;

    /// <summary>Room for <see cref="MaxHashes"/> quoted hashes and a little more, so one hash too many is answered by name.</summary>
    private const long MaxRequestBytes = 512 * 1024;

    public static void MapPhotoExistence(this RouteGroupBuilder photos) =>
        photos.MapPost("/exists", FindMissingAsync).WithName("FindMissingPhotos")
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes)).AllowUploadKeys();

    public static async Task<Results<Ok<MissingPhotosDto>, ValidationProblem>> FindMissingAsync(
        PhotoExistenceDto body, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var asked = body.Sha256 ?? [];
        if (asked.Count is 0 or > MaxHashes)
        {
            return Invalid($"Send 1 to {MaxHashes} SHA-256 hashes in 'sha256'; this request has {asked.Count}.", "Wrong number of hashes");
        }
        var malformed = asked.Select((hash, index) => (Hash: hash, Index: index)).Where(h => !IsSha256(h.Hash)).ToList();
        if (malformed.Count > 0)
        {
            var first = malformed[0];
            return Invalid($"sha256[{first.Index}] is '{Shorten(first.Hash)}', not a SHA-256 (64 hex digits)"
                + (malformed.Count > 1 ? $"; {malformed.Count - 1} more are not either." : "."), "Malformed hash");
        }
        var byContent = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var hash in asked)
        {
            byContent.TryAdd(hash.ToLowerInvariant(), hash);
        }
        var contents = byContent.Keys.ToList();
        var userId = context.User.UserId();
        var held = await db.Photos.AsNoTracking().Where(p => p.OwnerId == userId && contents.Contains(p.Sha256)).Select(p => p.Sha256)
            .ToListAsync(cancellationToken);
        var present = held.ToHashSet(StringComparer.Ordinal);
        return TypedResults.Ok(new MissingPhotosDto([.. byContent.Where(c => !present.Contains(c.Key)).Select(c => c.Value)]));
    }

    /// <summary>Whether the text is a SHA-256 as hex (64 digits, either case), as photos are known by.</summary>
    public static bool IsSha256(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);

    private static string Shorten(string? hash) => hash is null ? "null" : hash.Length > 80 ? hash[..80] + "…" : hash;

    private static ValidationProblem Invalid(string detail, string title) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sha256"] = [detail] }, detail: detail, title: title);
}
