namespace Keepsake.Hosting;

/// <summary>
/// Browser hardening on every response (pages, API answers, problems, 404s, photos and static files): a
/// strict Content-Security-Policy (the built web app has no inline script or style, and loads nothing from
/// another origin but the images of an <see cref="IImageSources"/>, such as a map's tiles; its one worker is its own service
/// worker), no MIME sniffing, no framing,
/// no referrer to other sites (share tokens are in URLs) and no powerful browser features.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy, with <paramref name="imageSources"/> allowed to serve images besides the app itself.</summary>
    public static string ContentSecurityPolicy(IEnumerable<string> imageSources) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'; img-src {string.Join(' ', ["'self'", .. imageSources.Distinct(StringComparer.Ordinal)])}; " +
        "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; worker-src 'self'; frame-src 'none'; frame-ancestors 'none'; " +
        "base-uri 'self'; form-action 'self'";

    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), " +
        "microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), xr-spatial-tracking=()";

    /// <summary>Goes before the exception handler: headers are added as the response starts, so even a
    /// problem written after a crash (which clears the headers set so far) carries them.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // Read on the first response, not here: the settings the sources come from are validated as the host starts.
        var policy = new Lazy<string>(() => ContentSecurityPolicy(app.ApplicationServices.GetServices<IImageSources>().SelectMany(s => s.ImageSources)));
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (response, policy) = ((HttpResponse, Lazy<string>))state;
                var headers = response.Headers;
                headers.ContentSecurityPolicy = policy.Value;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                return Task.CompletedTask;
            }, (context.Response, policy));
            return next(context);
        });
    }
}

/// <summary>Origins outside the app that its pages load images from (a map's tile server), as Content-Security-Policy sources.</summary>
public interface IImageSources
{
    IEnumerable<string> ImageSources { get; }
}
