using Keepsake.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keepsake.Backups.Photos;

public static class PhotoBackupApi
{
    /// <summary>The admin page's view of the photos' second copy: whether there is one, and how recent.</summary>
    public static IEndpointRouteBuilder MapPhotoBackups(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/admin/photo-backup").WithTags("Admin").RequireAuthorization(KeepsakeClaimsPrincipalFactory.AdminRole)
            .MapGet("/", GetStatusAsync).WithName("GetPhotoBackupStatus");
        return routes;
    }

    public static async Task<Ok<PhotoBackupStatusDto>> GetStatusAsync(PhotoBackupState state, CancellationToken cancellationToken) =>
        TypedResults.Ok(await state.ReadAsync(cancellationToken));
}
