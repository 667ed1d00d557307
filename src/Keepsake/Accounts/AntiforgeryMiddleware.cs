using Keepsake.Accounts.DeviceKeys;
using Microsoft.AspNetCore.Antiforgery;

namespace Keepsake.Accounts;

/// <summary>
/// Cookie-authenticated writes must carry the antiforgery header, so another site cannot make a
/// signed-in browser change anything. Anonymous writes (setup, login, share passwords) carry no
/// ambient authority and need none; nor do device-key requests: a browser never adds an Authorization header by itself,
/// and another site cannot make it send one.
/// </summary>
public sealed class AntiforgeryMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAntiforgery antiforgery, IProblemDetailsService problems)
    {
        var method = context.Request.Method;
        var unsafeMethod = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
        var identity = context.User.Identity;
        if (unsafeMethod && identity?.IsAuthenticated == true && identity.AuthenticationType != DeviceKeyAuthenticationHandler.SchemeName && context.Request.Path.StartsWithSegments("/api"))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Missing antiforgery token",
                        Detail = "This change must carry the X-XSRF-TOKEN header from GET /api/antiforgery; reload the page and try again.",
                    },
                });
                return;
            }
        }
        await next(context);
    }
}
