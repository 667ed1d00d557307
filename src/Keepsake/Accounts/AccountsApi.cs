using System.Net.Mail;
using Keepsake.Privacy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Keepsake.Accounts;

public static class AccountsApi
{
    private static readonly SemaphoreSlim SetupGate = new(1, 1);

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var setup = routes.MapGroup("/api/setup").WithTags("Accounts");
        setup.MapGet("/", GetSetupStatusAsync).WithName("GetSetupStatus");
        setup.MapPost("/", CreateOwnerAsync).WithName("CreateOwner");

        var auth = routes.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/login", LoginAsync).WithName("Login");
        auth.MapPost("/logout", LogoutAsync).WithName("Logout").RequireAuthorization();
        auth.MapGet("/me", GetMeAsync).WithName("GetMe").RequireAuthorization();
        auth.MapPost("/password", ChangePasswordAsync).WithName("ChangePassword").RequireAuthorization();

        routes.MapGet("/api/antiforgery", GetAntiforgeryToken).WithTags("Accounts").WithName("GetAntiforgeryToken");

        var admin = routes.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(KeepsakeClaimsPrincipalFactory.AdminRole);
        admin.MapGet("/", ListUsersAsync).WithName("ListUsers");
        admin.MapPost("/", CreateUserAsync).WithName("CreateUser");
        admin.MapDelete("/{id:guid}", EraseUserAsync).WithName("EraseUser");
        return routes;
    }

    public static async Task<Ok<SetupStatusDto>> GetSetupStatusAsync(UserAccounts accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SetupStatusDto(!await accounts.OwnerExistsAsync(cancellationToken)));

    /// <summary>The first visitor becomes the owner; once there is one, setup is closed for good.</summary>
    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateOwnerAsync(
        CredentialsDto body, UserAccounts accounts, SignInManager<KeepsakeUser> signIn, CancellationToken cancellationToken)
    {
        if ((ValidateEmail(body.Email) ?? ValidatePassword(body.Password)) is { } invalid)
        {
            return invalid;
        }
        await SetupGate.WaitAsync(cancellationToken);
        try
        {
            if (await accounts.OwnerExistsAsync(cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already set up",
                    detail: "This Keepsake already has an owner. Log in, or ask an admin for an account.");
            }
            var (user, errors) = await accounts.CreateAsync(body.Email, body.Password, isAdmin: true);
            if (user is null)
            {
                return PasswordProblem(errors);
            }
            await signIn.SignInAsync(user, isPersistent: true);
            return TypedResults.Created("/api/auth/me", user.ToDto());
        }
        finally
        {
            SetupGate.Release();
        }
    }

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> LoginAsync(
        CredentialsDto body, HttpContext context, SignInManager<KeepsakeUser> signIn, FailedAttemptThrottle throttle)
    {
        var key = FailedAttemptThrottle.KeyFor(context, "login");
        if (throttle.IsBlocked(key))
        {
            return TooManyAttempts(context, throttle);
        }
        var user = string.IsNullOrWhiteSpace(body.Email) ? null : await signIn.UserManager.FindByEmailAsync(body.Email.Trim());
        if (user is null || string.IsNullOrEmpty(body.Password))
        {
            throttle.RecordFailure(key);
            return WrongCredentials();
        }
        var result = await signIn.PasswordSignInAsync(user, body.Password, isPersistent: true, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return TooManyAttempts(context, throttle);
        }
        if (!result.Succeeded)
        {
            throttle.RecordFailure(key);
            return WrongCredentials();
        }
        return TypedResults.Ok(user.ToDto());
    }

    public static async Task<NoContent> LogoutAsync(SignInManager<KeepsakeUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserDto>, UnauthorizedHttpResult>> GetMeAsync(HttpContext context, UserManager<KeepsakeUser> users)
    {
        var user = await users.GetUserAsync(context.User);
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(user.ToDto());
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult, UnauthorizedHttpResult>> ChangePasswordAsync(
        ChangePasswordDto body, HttpContext context, SignInManager<KeepsakeUser> signIn, FailedAttemptThrottle throttle)
    {
        var users = signIn.UserManager;
        var user = await users.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        // A borrowed session must not become a way to guess the password behind it.
        var key = FailedAttemptThrottle.KeyFor(context, "password");
        if (throttle.IsBlocked(key))
        {
            return TooManyAttempts(context, throttle);
        }
        if (ValidatePassword(body.NewPassword, "newPassword") is { } invalid)
        {
            return invalid;
        }
        if (string.IsNullOrEmpty(body.CurrentPassword) || !await users.CheckPasswordAsync(user, body.CurrentPassword))
        {
            throttle.RecordFailure(key);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong password",
                detail: "The current password is not right; the password was not changed.");
        }
        var result = await users.ChangePasswordAsync(user, body.CurrentPassword, body.NewPassword);
        if (!result.Succeeded)
        {
            return PasswordProblem(result.Errors.Select(e => e.Description).ToList());
        }
        await signIn.RefreshSignInAsync(user);
        return TypedResults.NoContent();
    }

    /// <summary>Issues the token a browser sends back in the <c>X-XSRF-TOKEN</c> header on writes.</summary>
    public static Ok<AntiforgeryTokenDto> GetAntiforgeryToken(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryTokenDto(tokens.RequestToken!, tokens.HeaderName!));
    }

    public static async Task<Ok<List<UserDto>>> ListUsersAsync(UserAccounts accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok((await accounts.ListAsync(cancellationToken)).Select(u => u.ToDto()).ToList());

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateUserAsync(
        CreateUserDto body, UserAccounts accounts)
    {
        if ((ValidateEmail(body.Email) ?? ValidatePassword(body.Password)) is { } invalid)
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
        return PasswordProblem(errors);
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
            ErasureRefusal.LastAdmin => PrivacyApi.LastAdminProblem(),
            _ => TypedResults.NoContent(),
        };
    }

    internal static ValidationProblem? ValidateEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.Length > 254 || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim()
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Enter a valid e-mail address, like name@example.com."] },
                title: "Invalid e-mail address")
            : null;

    private static ValidationProblem? ValidatePassword(string? password, string field = "password") =>
        string.IsNullOrEmpty(password)
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = ["Enter a password."] }, title: "Password missing")
            : null;

    private static ValidationProblem PasswordProblem(IReadOnlyList<string> errors) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. errors] },
            detail: string.Join(" ", errors), title: "The account could not be saved");

    private static ProblemHttpResult WrongCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Login failed", detail: "The e-mail address or password is not right.");

    internal static ProblemHttpResult TooManyAttempts(HttpContext context, FailedAttemptThrottle throttle)
    {
        context.Response.Headers.RetryAfter = ((int)throttle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed attempts",
            detail: $"Too many wrong passwords; wait {throttle.Window.TotalMinutes:0} minutes and try again.");
    }
}
