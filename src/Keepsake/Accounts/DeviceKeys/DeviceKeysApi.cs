using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Accounts.DeviceKeys;

/// <summary>
/// The signed-in user's device keys. Only a session manages them (<see cref="DeviceKeyEndpoints.RequireSession{TBuilder}"/>):
/// a stolen phone's key cannot make itself another one, nor hide from the list.
/// </summary>
public static class DeviceKeysApi
{
    /// <summary>Keys one user may hold: enough for every device of a family member, and the list needs no pages.</summary>
    public const int MaxKeysPerUser = 50;

    public static IEndpointRouteBuilder MapDeviceKeys(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/api/auth/keys").WithTags("Accounts").RequireAuthorization().RequireSession();
        keys.MapGet("/", ListAsync).WithName("ListDeviceKeys");
        keys.MapPost("/", CreateAsync).WithName("CreateDeviceKey");
        keys.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeDeviceKey");
        return routes;
    }

    public static async Task<Ok<List<DeviceKeyDto>>> ListAsync(HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var keys = await db.DeviceKeys.AsNoTracking().Where(k => k.OwnerId == userId).OrderByDescending(k => k.CreatedAt)
            .Take(MaxKeysPerUser).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(k => new DeviceKeyDto(k.Id, k.Name, ScopeName(k.Scope), k.CreatedAt, k.LastUsedAt)).ToList());
    }

    public static async Task<Results<Created<CreatedDeviceKeyDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateDeviceKeyDto body, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim() ?? "";
        if (name.Length is 0 or > DeviceKey.MaxNameLength || name.Any(char.IsControl))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = [$"A device key needs a name of 1 to {DeviceKey.MaxNameLength} characters, such as \"Anna's phone\"."] },
                title: "Invalid device key name");
        }
        if (!TryParseScope(body.Scope, out var scope))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["scope"] = [$"The scope must be one of {string.Join(", ", Enum.GetValues<DeviceKeyScope>().Select(ScopeName))}; '{body.Scope}' is not one."] },
                title: "Invalid device key scope");
        }
        var userId = context.User.UserId();
        // Counted and added in one turn of the user's: two requests at the 50th key would both count 49 and both add one.
        return await UserTurns.InTurnAsync(db, userId, async () =>
        {
            if (await db.DeviceKeys.CountAsync(k => k.OwnerId == userId, cancellationToken) >= MaxKeysPerUser)
            {
                return (Results<Created<CreatedDeviceKeyDto>, ValidationProblem, ProblemHttpResult>)TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict, title: "Too many device keys",
                    detail: $"You have {MaxKeysPerUser} device keys, the most one account may hold; revoke one you no longer use first.");
            }
            var id = Guid.CreateVersion7();
            var secret = DeviceKeySecrets.NewKey(id);
            var key = new DeviceKey
            {
                Id = id,
                OwnerId = userId,
                Name = name,
                Scope = scope,
                SecretHash = DeviceKeySecrets.Hash(secret),
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            db.DeviceKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Created($"/api/auth/keys/{id}", new CreatedDeviceKeyDto(id, secret, name, ScopeName(scope), key.CreatedAt));
        }, cancellationToken);
    }

    /// <summary>Revokes at once: the next request with the key finds no row.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid id, HttpContext context, KeepsakeDbContext db, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        return await db.DeviceKeys.Where(k => k.Id == id && k.OwnerId == userId).ExecuteDeleteAsync(cancellationToken) == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Device key not found",
                detail: "You have no device key with this id; it may have been revoked already.")
            : TypedResults.NoContent();
    }

    public static string ScopeName(DeviceKeyScope scope) => scope.ToString().ToLowerInvariant();

    private static bool TryParseScope(string? text, out DeviceKeyScope scope)
    {
        scope = default;
        var match = Enum.GetValues<DeviceKeyScope>().Where(s => ScopeName(s) == text?.Trim()).ToList();
        if (match.Count == 0)
        {
            return false;
        }
        scope = match[0];
        return true;
    }
}
