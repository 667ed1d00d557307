using Microsoft.Extensions.FileProviders;

namespace Keepsake.Hosting;

/// <summary>
/// Serves the compiled web app from <c>wwwroot</c> next to the binary. Client-side routes fall back to
/// <c>index.html</c>; unknown <c>/api</c> paths stay a 404 problem, never a page, and <c>/dav</c> (WebDAV) is never a page either.
/// </summary>
public static class WebApp
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static WebApplication UseKeepsakeWebApp(this WebApplication app)
    {
        if (!File.Exists(Path.Combine(Root, "index.html")))
        {
            return app;
        }
        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                // Vite puts a content hash in every asset name: those never change; index.html always may.
                context.Context.Response.Headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }

    public static IEndpointRouteBuilder MapKeepsakeWebApp(this IEndpointRouteBuilder routes)
    {
        if (File.Exists(Path.Combine(Root, "index.html")))
        {
            // Any path that is not a file and not under /api or /dav is a client-side route.
            routes.MapFallbackToFile("{*path:nonfile:regex(^(?!api(/|$)))}", "index.html", new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(Root),
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
            });
        }
        return routes;
    }
}
