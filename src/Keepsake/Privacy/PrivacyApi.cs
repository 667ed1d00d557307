using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Keepsake.Privacy;

/// <summary>The signed-in user's own data: take it away (export) or have it erased; and an admin's erasure of another
/// account (<c>DELETE /api/admin/users/{id}</c>). An admin can export nobody else's photos.</summary>
public static class PrivacyApi
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/me").WithTags("Privacy").RequireAuthorization();
        me.MapGet("/export", Export).WithName("ExportMyData").Produces<Stream>(StatusCodes.Status200OK, "application/zip");
        me.MapPost("/erase", EraseMeAsync).WithName("EraseMyAccount").RequireSession();
        var admin = routes.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(KeepsakeClaimsPrincipalFactory.AdminRole);
        admin.MapDelete("/{id:guid}", EraseUserAsync).WithName("EraseUser");
        return routes;
    }

    /// <summary>Erases another user for good (see <see cref="UserErasure"/>); admins erase their own account from the account page, with their password.</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> EraseUserAsync(
        Guid id, HttpContext context, UserErasure erasure, CancellationToken cancellationToken)
    {
        if (id == context.User.UserId())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "This is your own account",
                detail: "Delete your own account from the account page, where your password is asked again; nothing was erased.");
        }
        return await erasure.EraseAccountAsync(id, cancellationToken) switch
        {
            ErasureRefusal.UnknownUser => TypedResults.NotFound(),
            ErasureRefusal.LastAdmin => LastAdminProblem(),
            _ => TypedResults.NoContent(),
        };
    }

    /// <summary>Streams the zip as it is made: nothing of it is held in memory or on disk.</summary>
    public static PushStreamHttpResult Export(HttpContext context, UserExport export, TimeProvider time)
    {
        var userId = context.User.UserId();
        OriginalsZip.AllowEntryDescriptors(context);
        var name = $"keepsake-export-{time.GetUtcNow():yyyy-MM-dd}.zip";
        return TypedResults.Stream(body => export.WriteAsync(userId, body, context.RequestAborted), "application/zip", name);
    }

    /// <summary>"Delete my account": the password is asked again, so a borrowed session cannot erase anyone.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult, UnauthorizedHttpResult>> EraseMeAsync(
        EraseAccountDto body, HttpContext context, SignInManager<KeepsakeUser> signIn, UserErasure erasure, FailedAttemptThrottle throttle,
        CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var key = FailedAttemptThrottle.KeyFor(context, "password");
        if (throttle.RetryAfter(key) is { } wait)
        {
            return AccountsApi.TooManyAttempts(context, wait);
        }
        if (string.IsNullOrEmpty(body.Password) || body.Password.Length > AccountsOptions.MaxPasswordLength || !await signIn.UserManager.CheckPasswordAsync(user, body.Password))
        {
            throttle.RecordFailure(key);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong password",
                detail: "The password is not right; your account was not deleted.");
        }
        var refusal = await erasure.EraseAccountAsync(user.Id, cancellationToken);
        if (refusal == ErasureRefusal.LastAdmin)
        {
            return LastAdminProblem();
        }
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult LastAdminProblem() =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last admin",
            detail: "This is the only admin account: nobody could manage Keepsake without it. Make another user an admin first; nothing was erased.");
}
