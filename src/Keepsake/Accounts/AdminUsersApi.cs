using Microsoft.AspNetCore.Http.HttpResults;

namespace Keepsake.Accounts;

/// <summary>An admin's view of the accounts: create, change role, disable, sign out (erasing is Privacy's, on the same
/// path). Nothing here may leave Keepsake without an enabled admin.</summary>
public static class AdminUsersApi
{
    public static IEndpointRouteBuilder MapAdminUsers(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(KeepsakeClaimsPrincipalFactory.AdminRole);
        admin.MapGet("/", ListUsersAsync).WithName("ListUsers");
        admin.MapPost("/", CreateUserAsync).WithName("CreateUser");
        admin.MapPut("/{id:guid}", UpdateUserAsync).WithName("UpdateUser");
        admin.MapPost("/{id:guid}/sign-out", SignOutUserAsync).WithName("SignOutUser");
        admin.MapPost("/{id:guid}/password", ResetPasswordAsync).WithName("ResetUserPassword");
        return routes;
    }

    public static async Task<Ok<List<UserDto>>> ListUsersAsync(UserAccounts accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok((await accounts.ListAsync(cancellationToken)).Select(u => u.ToDto()).ToList());

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserDto body, UserAccounts accounts)
    {
        if ((AccountsApi.ValidateEmail(body.Email) ?? AccountsApi.ValidatePassword(body.Password)) is { } invalid)
        {
            return invalid;
        }
        var (user, errors) = await accounts.CreateAsync(body.Email, body.Password, body.IsAdmin);
        if (user is not null)
        {
            return TypedResults.Created("/api/admin/users", user.ToDto());
        }
        if (errors.Any(e => e.Contains("is already taken", StringComparison.OrdinalIgnoreCase)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "E-mail in use",
                detail: "There is already an account with this e-mail address.");
        }
        return AccountsApi.PasswordProblem(errors);
    }

    /// <summary>Makes a user an admin or not, disables or enables them; a change ends the user's sessions.</summary>
    public static async Task<Results<Ok<UserDto>, NotFound, ProblemHttpResult>> UpdateUserAsync(
        Guid id, UpdateUserDto body, UserAdministration administration, CancellationToken cancellationToken)
    {
        var (outcome, user) = await administration.UpdateAsync(id, body.IsAdmin, body.Disabled, cancellationToken);
        return outcome switch
        {
            AdminChange.UnknownUser => TypedResults.NotFound(),
            AdminChange.LastAdmin => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last admin",
                detail: "This is the only enabled admin account: nobody could manage Keepsake without it. Make another user an admin first; nothing was changed."),
            _ => TypedResults.Ok(user!.ToDto()),
        };
    }

    /// <summary>
    /// Sets a new password for a user who lost theirs and ends their sessions; the admin passes it on. A password the rules
    /// refuse changes nothing.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem>> ResetPasswordAsync(
        Guid id, ResetPasswordDto body, UserAdministration administration)
    {
        if (AccountsApi.ValidatePassword(body.Password) is { } invalid)
        {
            return invalid;
        }
        var (found, errors) = await administration.ResetPasswordAsync(id, body.Password);
        return !found ? TypedResults.NotFound() : errors.Count > 0 ? AccountsApi.PasswordProblem(errors) : TypedResults.NoContent();
    }

    /// <summary>Ends every session of a user (a stolen laptop, a suspected break-in); their password still works.</summary>
    public static async Task<Results<NoContent, NotFound>> SignOutUserAsync(Guid id, UserAdministration administration, CancellationToken cancellationToken) =>
        await administration.SignOutEverywhereAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
