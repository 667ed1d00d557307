using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>What the owner writes about a photo; null or blank clears it.</summary>
public sealed record PhotoDescriptionDto(string? Description);

/// <summary>The owner's description of a photo: shown in the viewer, found by search, kept in the export.</summary>
public static class PhotoDescriptionApi
{
    public const int MaxLength = 2000;

    public static void MapPhotoDescription(this RouteGroupBuilder photos) =>
        photos.MapPut("/{id:guid}/description", SetAsync).WithName("SetPhotoDescription");

    /// <summary>
    /// Sets the description, trimmed; blank clears it. One statement, so the search index (kept by the database in the
    /// same statement) never sees a half-done edit; another user's photo is not found, as everywhere.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> SetAsync(
        Guid id, PhotoDescriptionDto body, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var description = string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim();
        if (description is { Length: > MaxLength })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Description too long",
                detail: $"A description holds at most {MaxLength} characters; this one has {description.Length}.");
        }
        var userId = context.User.UserId();
        var updated = await db.Photos.Where(p => p.Id == id && p.OwnerId == userId)
            .ExecuteUpdateAsync(photo => photo.SetProperty(p => p.Description, description), cancellationToken);
        return updated == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
