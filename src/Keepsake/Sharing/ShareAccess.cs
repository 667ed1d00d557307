using System.Security.Cryptography;
using System.Text;
using Keepsake.Albums;
using Keepsake.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Sharing;

public enum ShareState
{
    NotFound,
    PasswordRequired,
    Open,
}

public sealed record ResolvedShare(ShareState State, ShareLink? Link, Album? Album);

/// <summary>
/// Decides what an anonymous visitor with a token may see. Unknown, expired and revoked links look the
/// same (not found). A password, once given, is remembered in a cookie scoped to that link's path.
/// </summary>
public sealed class ShareAccess(KeepsakeDbContext db, IDataProtectionProvider protection, TimeProvider time)
{
    private static readonly TimeSpan UnlockLifetime = TimeSpan.FromHours(12);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Keepsake.Sharing.Unlock").ToTimeLimitedDataProtector();

    public async Task<ResolvedShare> ResolveAsync(HttpContext context, string token, CancellationToken cancellationToken)
    {
        if (!ShareTokens.IsWellFormed(token))
        {
            return new ResolvedShare(ShareState.NotFound, null, null);
        }
        var hash = ShareTokens.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var found = await db.ShareLinks.AsNoTracking()
            .Where(l => l.TokenHash == hash && l.RevokedAt == null && (l.ExpiresAt == null || l.ExpiresAt > now))
            .Join(db.Albums, l => l.AlbumId, a => a.Id, (l, a) => new { Link = l, Album = a })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null || !ShareTokens.Matches(found.Link.TokenHash, token))
        {
            return new ResolvedShare(ShareState.NotFound, null, null);
        }
        var unlocked = found.Link.PasswordHash is null || IsUnlocked(context, found.Link);
        return new ResolvedShare(unlocked ? ShareState.Open : ShareState.PasswordRequired, found.Link, found.Album);
    }

    public void RememberUnlock(HttpContext context, string token, ShareLink link)
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

    private bool IsUnlocked(HttpContext context, ShareLink link)
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

    private static string CookieName(ShareLink link) => $"keepsake.share.{link.Id:N}";

    /// <summary>Ties the cookie to the link and its password, so a new password locks old visitors out.</summary>
    private static string Stamp(ShareLink link) =>
        link.Id.ToString("N") + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(link.PasswordHash ?? "")))[..16];
}
