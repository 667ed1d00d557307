using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>What one user stores: their photos (those in the trash included, which keep their files) and the bytes of the originals.</summary>
public sealed record UserUsageDto(Guid UserId, int Photos, long OriginalBytes, int PhotosInTrash);

/// <summary>For the admin page: photos and storage per user, beside the accounts the Accounts feature lists.</summary>
public static class AdminUsageApi
{
    public static void MapAdminUsage(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/admin/usage", GetUsageAsync).WithTags("Admin").WithName("GetUsage").RequireAuthorization(KeepsakeClaimsPrincipalFactory.AdminRole);

    /// <summary>One entry per user who stores any photo; a user without photos has none.</summary>
    public static async Task<Ok<List<UserUsageDto>>> GetUsageAsync(KeepsakeDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Photos.GroupBy(p => p.OwnerId)
            .Select(owner => new UserUsageDto(owner.Key, owner.Count(), owner.Sum(p => p.SizeBytes), owner.Count(p => p.TrashedAt != null)))
            .ToListAsync(cancellationToken));
}
