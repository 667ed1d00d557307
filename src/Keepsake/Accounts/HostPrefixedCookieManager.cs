using Microsoft.AspNetCore.Authentication.Cookies;

namespace Keepsake.Accounts;

/// <summary>
/// Over https the session cookie is named <c>__Host-…</c>: browsers then take it only when it is Secure, for the
/// whole site and from this host alone, so neither a plain-http page nor a sibling subdomain can plant or
/// shadow it. Over plain http (a laptop, a test) no such name is allowed, and the plain one is used.
/// </summary>
internal sealed class HostPrefixedCookieManager(ICookieManager inner) : ICookieManager
{
    private const string Prefix = "__Host-";

    public string? GetRequestCookie(HttpContext context, string key) => inner.GetRequestCookie(context, NameFor(context, key));

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options) =>
        inner.AppendResponseCookie(context, NameFor(context, key), value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) =>
        inner.DeleteCookie(context, NameFor(context, key), options);

    private static string NameFor(HttpContext context, string key) => context.Request.IsHttps ? Prefix + key : key;
}
