using System.Globalization;
using System.Net.Mail;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Data;
using Keepsake.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Keepsake.Accounts;

public static partial class AccountsApi
{
    private static readonly SemaphoreSlim SetupGate = new(1, 1);

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var setup = routes.MapGroup("/api/setup").WithTags("Accounts");
        setup.MapGet("/", GetSetupStatusAsync).WithName("GetSetupStatus");
        setup.MapPost("/", CreateOwnerAsync).WithName("CreateOwner");

        var auth = routes.MapGroup("/api/auth").WithTags("Accounts");
        // The body is read by the endpoint itself, after the throttle has had its say.
        auth.MapPost("/login", LoginAsync).WithName("Login").Accepts<CredentialsDto>("application/json")
            .Produces<UserDto>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", LogoutAsync).WithName("Logout").RequireAuthorization().RequireSession();
        auth.MapPost("/logout-everywhere", LogoutEverywhereAsync).WithName("LogoutEverywhere").RequireAuthorization().RequireSession();
        auth.MapGet("/me", GetMeAsync).WithName("GetMe").RequireAuthorization();
        auth.MapPost("/password", ChangePasswordAsync).WithName("ChangePassword").RequireAuthorization().RequireSession();

        routes.MapGet("/api/antiforgery", GetAntiforgeryToken).WithTags("Accounts").WithName("GetAntiforgeryToken");
        routes.MapAdminUsers();
        routes.MapDeviceKeys();
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

    /// <summary>
    /// Counts failures per client address and per address and account, never per account alone: guesses from
    /// forty addresses slow those forty down, not the owner signing in from a forty-first. A known and an unknown
    /// e-mail get the same answer after the same hash work.
    /// </summary>
    public static async Task<IResult> LoginAsync(
        HttpContext context, SignInManager<KeepsakeUser> signIn, PasswordCheck passwordCheck, FailedAttemptThrottle throttle, IOptions<AccountsOptions> options)
    {
        var addressKey = FailedAttemptThrottle.KeyFor(context, "login");
        if (throttle.RetryAfter(addressKey) is { } wait)
        {
            return TooManyAttempts(context, wait);
        }
        var (body, problem) = await RequestLimits.ReadJsonAsync<CredentialsDto>(context);
        if (problem is not null)
        {
            return problem;
        }
        var email = body?.Email?.Trim() ?? "";
        var password = body?.Password ?? "";
        var accountKey = $"{addressKey}|{email.ToUpperInvariant()}";
        if (throttle.RetryAfter(accountKey) is { } accountWait)
        {
            return TooManyAttempts(context, accountWait);
        }
        var user = email.Length == 0 || password.Length is 0 or > AccountsOptions.MaxPasswordLength
            ? null
            : await passwordCheck.FindVerifiedAsync(signIn.UserManager, email, password);
        if (user is null)
        {
            throttle.RecordFailure(accountKey);
            throttle.RecordFailure(addressKey, options.Value.FailedLoginLimitPerAddress);
            return WrongCredentials();
        }
        throttle.Forget(accountKey);
        await signIn.SignInAsync(user, isPersistent: true);
        return TypedResults.Ok(user.ToDto());
    }

    public static async Task<NoContent> LogoutAsync(SignInManager<KeepsakeUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    /// <summary>Ends every session of the signed-in user, on every device and every replica (a lost phone, a shared computer).</summary>
    public static async Task<NoContent> LogoutEverywhereAsync(
        HttpContext context, UserAdministration administration, SignInManager<KeepsakeUser> signIn, CancellationToken cancellationToken)
    {
        await administration.SignOutEverywhereAsync(context.User.UserId(), cancellationToken);
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
        if (throttle.RetryAfter(key) is { } wait)
        {
            return TooManyAttempts(context, wait);
        }
        if (ValidatePassword(body.NewPassword, "newPassword") is { } invalid)
        {
            return invalid;
        }
        if (string.IsNullOrEmpty(body.CurrentPassword) || body.CurrentPassword.Length > AccountsOptions.MaxPasswordLength
            || !await users.CheckPasswordAsync(user, body.CurrentPassword))
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

    internal static ValidationProblem? ValidateEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.Length > 254 || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim()
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Enter a valid e-mail address, like name@example.com."] },
                title: "Invalid e-mail address")
            : null;

    internal static ValidationProblem? ValidatePassword(string? password, string field = "password") =>
        string.IsNullOrEmpty(password)
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = ["Enter a password."] }, title: "Password missing")
            : password.Length > AccountsOptions.MaxPasswordLength
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"A password has at most {AccountsOptions.MaxPasswordLength} characters."] },
                    title: "Password too long")
                : null;

    internal static ValidationProblem PasswordProblem(IReadOnlyList<string> errors) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. errors] },
            detail: string.Join(" ", errors), title: "The account could not be saved");

    private static ProblemHttpResult WrongCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Login failed", detail: "The e-mail address or password is not right.");

    internal static ProblemHttpResult TooManyAttempts(HttpContext context, TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        // The client's address as the trusted proxy gave it; never the e-mail or the link tried.
        LogThrottled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FailedAttemptThrottle)),
            ClientAddress.Of(context), context.GetEndpoint()?.DisplayName ?? "a password endpoint", seconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed attempts",
            detail: $"Too many wrong passwords; wait {(seconds < 120 ? $"{seconds} seconds" : $"{Math.Ceiling(seconds / 60.0)} minutes")} and try again.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a password attempt from {Client} at {Endpoint}: too many failures, it waits {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string client, string endpoint, int seconds);
}
