using System.Security.Cryptography;
using System.Text;
using Keepsake.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Keepsake.Sharing;

public enum ShareState
{
    NotFound,
    PasswordRequired,
    Open,
}

public sealed record ResolvedShare(ShareState State, CachedShareLink? Link);

/// <summary>
/// Decides what an anonymous visitor with a token may see. Unknown, expired and revoked links look the
/// same (not found). A password, once given, is remembered in a cookie scoped to that link's path.
/// </summary>
public sealed class ShareAccess(KeepsakeDbContext db, ShareLinkCache links, IDataProtectionProvider protection, TimeProvider time)
{
    private static readonly TimeSpan UnlockLifetime = TimeSpan.FromHours(12);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Keepsake.Sharing.Unlock").ToTimeLimitedDataProtector();

    public async Task<ResolvedShare> ResolveAsync(HttpContext context, string token, CancellationToken cancellationToken)
    {
        if (!ShareTokens.IsWellFormed(token))
        {
            return new ResolvedShare(ShareState.NotFound, null);
        }
        var link = await links.FindAsync(db, ShareTokens.Hash(token), cancellationToken);
        // Expiry is decided now, not when the link was cached.
        if (link is null || link.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return new ResolvedShare(ShareState.NotFound, null);
        }
        var unlocked = link.PasswordHash is null || IsUnlocked(context, link);
        return new ResolvedShare(unlocked ? ShareState.Open : ShareState.PasswordRequired, link);
    }

    public void RememberUnlock(HttpContext context, string token, CachedShareLink link)
    {
        var value = _protector.Protect(Stamp(link), UnlockLifetime);
        context.Response.Cookies.Append(CookieName(link), value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = $"/api/s/{token}",
            MaxAge = UnlockLifetime,
        });
    }

    private bool IsUnlocked(HttpContext context, CachedShareLink link)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName(link), out var value))
        {
            return false;
        }
        try
        {
            return _protector.Unprotect(value) == Stamp(link);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string CookieName(CachedShareLink link) => $"keepsake.share.{link.Id:N}";

    /// <summary>Ties the cookie to the link and its password, so a new password locks old visitors out.</summary>
    private static string Stamp(CachedShareLink link) =>
        link.Id.ToString("N") + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(link.PasswordHash ?? "")))[..16];
}
