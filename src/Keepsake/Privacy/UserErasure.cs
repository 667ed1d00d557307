using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Albums;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Storage;
using Keepsake.Uploads;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Privacy;

/// <summary>The steps of an erasure, in the order they run.</summary>
public enum ErasureStep
{
    /// <summary>The ledger entry goes first: from then on every restore erases the user again.</summary>
    Ledger,

    /// <summary>
    /// A new security stamp ends every open session (see <see cref="ActiveSessions"/>), so every request from then on is
    /// refused; removing the password ends the login; disabling the account makes an upload already in flight refuse to
    /// commit (see <see cref="PhotoIngestor"/>).
    /// </summary>
    Sessions,

    /// <summary>The device keys: with the account disabled they already open nothing (see <see cref="DeviceKeyAuthenticationHandler"/>).</summary>
    DeviceKeys,

    ShareLinks,
    Albums,

    /// <summary>
    /// What the user holds is written down for the copies' step (see <see cref="IUserCopiesErasure"/>), before the photo
    /// rows that say it go, so a re-run after a crash between the two still knows.
    /// </summary>
    PhotoHoldings,

    PhotoRows,

    /// <summary>
    /// The copies on the photo backup target of what the user holds or held, unless another user's photo holds the same
    /// content: after the photo rows, so a photo backup run at the same time can no longer record a copy of theirs (it
    /// records one only while a photo holds the content), and any it recorded before is found here.
    /// </summary>
    PhotoCopies,

    /// <summary>Originals, thumbnails and previews: every key under the user's folder, orphans included; and the parts of their uploads in progress.</summary>
    PhotoFiles,

    /// <summary>
    /// Share links are the only entries the cache holds that belong to a user (see <see cref="Hosting.CachePolicy"/>): they
    /// were forgotten with their rows, and are forgotten again here, after a visitor who read a row just before
    /// it went could have put it back.
    /// </summary>
    CacheEntries,

    /// <summary>The account row (with its claims, logins and tokens) goes last of the rows, so that a re-run can still find it by e-mail.</summary>
    Account,

    /// <summary>
    /// The user's folders once more: an upload in flight when the erasure began may have written its files after the
    /// first sweep listed them. With the account row gone no photo row can point at them any more (the foreign key
    /// refuses it), so whatever is there now is a leftover. A crash before this step leaves files fsck calls erasure leftovers.
    /// </summary>
    LateFiles,
}

/// <summary>Why a requested erasure did not happen.</summary>
public enum ErasureRefusal
{
    None,
    UnknownUser,
    LastAdmin,
}

/// <summary>
/// The one erasure engine behind every door (<c>keepsake user erase</c>, the admin API, "delete my account")
/// and the restore's ledger replay. Each step only deletes, so an erasure interrupted at any point finishes
/// when run again; rows go before their files, so an interruption leaves at most files without rows, never
/// the reverse (fsck's rule).
/// </summary>
public sealed partial class UserErasure(
    KeepsakeDbContext db,
    IBlobStore store,
    ErasureLedger ledger,
    ShareLinkCache shareLinks,
    IEnumerable<IUserCopiesErasure> copies,
    KeepsakeMetrics metrics,
    TimeProvider time,
    ILogger<UserErasure> logger)
{
    /// <summary>Called after each step; tests use it to interrupt an erasure between two steps.</summary>
    internal Func<ErasureStep, Task>? AfterStep { get; set; }

    /// <summary>
    /// A door's erasure: refuses an unknown user and the last enabled admin (nobody could administer Keepsake after it),
    /// otherwise erases. A user already in the ledger but still in the database (an interrupted erasure) is erased to the end.
    /// </summary>
    public async Task<ErasureRefusal> EraseAccountAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.IsAdmin }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return ErasureRefusal.UnknownUser;
        }
        if (user.IsAdmin && !await db.Users.AnyAsync(u => u.IsAdmin && u.Id != userId && u.PasswordHash != null && u.LockoutEnd != KeepsakeUser.DisabledUntil, cancellationToken))
        {
            return ErasureRefusal.LastAdmin;
        }
        await EraseAsync(userId, cancellationToken);
        return ErasureRefusal.None;
    }

    /// <summary>Erases everything of the user, recording it in the ledger first (a user already there keeps their entry);
    /// returns false when the database held nothing of the user any more.</summary>
    public async Task<bool> EraseAsync(Guid userId, CancellationToken cancellationToken)
    {
        var entry = await ledger.AppendAsync(userId, time.GetUtcNow(), cancellationToken);
        await StepDoneAsync(ErasureStep.Ledger);
        return await EraseRecordedAsync(entry, cancellationToken);
    }

    /// <summary>The steps after the ledger, for a user it already records: a restore's replay runs them for every
    /// entry without reading the ledger again per entry.</summary>
    public async Task<bool> EraseRecordedAsync(ErasureEntry entry, CancellationToken cancellationToken)
    {
        var userId = entry.UserId;
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.SecurityStamp, Guid.NewGuid().ToString("N"))
            .SetProperty(x => x.PasswordHash, (string?)null)
            .SetProperty(x => x.LockoutEnd, KeepsakeUser.DisabledUntil), cancellationToken);
        await StepDoneAsync(ErasureStep.Sessions);

        await db.DeviceKeys.Where(k => k.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
        await StepDoneAsync(ErasureStep.DeviceKeys);

        var links = db.ShareLinks.Where(l => db.Set<Album>().Any(a => a.Id == l.AlbumId && a.OwnerId == userId));
        var linkHashes = await links.Select(l => l.TokenHash).ToListAsync(cancellationToken);
        await links.ExecuteDeleteAsync(cancellationToken);
        await shareLinks.ForgetAsync(linkHashes, cancellationToken);
        await StepDoneAsync(ErasureStep.ShareLinks);

        await db.Albums.Where(a => a.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
        await StepDoneAsync(ErasureStep.Albums);

        foreach (var copy in copies)
        {
            await copy.RecordHoldingsAsync(userId, cancellationToken);
        }
        await StepDoneAsync(ErasureStep.PhotoHoldings);

        // Uploads in progress go with the photos: their parts are removed with the photo files below.
        await db.PendingUploads.Where(u => u.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
        var photoRows = await db.Photos.Where(p => p.OwnerId == userId).ExecuteDeleteAsync(cancellationToken);
        await StepDoneAsync(ErasureStep.PhotoRows);

        var copiesRemoved = 0;
        foreach (var copy in copies)
        {
            copiesRemoved += await copy.EraseCopiesAsync(userId, cancellationToken);
        }
        await StepDoneAsync(ErasureStep.PhotoCopies);

        var files = await DeleteFilesAsync(userId, cancellationToken);
        await StepDoneAsync(ErasureStep.PhotoFiles);

        await shareLinks.ForgetAsync(linkHashes, cancellationToken);
        await StepDoneAsync(ErasureStep.CacheEntries);

        var accounts = await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
        await StepDoneAsync(ErasureStep.Account);

        files += await DeleteFilesAsync(userId, cancellationToken);
        await StepDoneAsync(ErasureStep.LateFiles);

        var erased = accounts + photoRows + files + linkHashes.Count + copiesRemoved > 0;
        if (erased)
        {
            metrics.UserErased();
            LogErased(logger, userId, entry.Position, photoRows, files, copiesRemoved, linkHashes.Count);
        }
        return erased;
    }

    private async Task<int> DeleteFilesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var prefix in PhotoBlobs.Prefixes.Append(UploadParts.Prefix))
        {
            var keys = new List<string>();
            await foreach (var blob in store.ListAsync($"{prefix}{userId:N}/", cancellationToken))
            {
                keys.Add(blob.Key);
            }
            foreach (var key in keys)
            {
                await store.DeleteAsync(key, cancellationToken);
                deleted++;
            }
        }
        return deleted;
    }

    private Task StepDoneAsync(ErasureStep step) => AfterStep?.Invoke(step) ?? Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Erased user {UserId} (ledger position {LedgerPosition}): {PhotoRows} photo rows, {Files} files, {PhotoCopies} photo backup copies, {ShareLinks} share links")]
    private static partial void LogErased(ILogger logger, Guid userId, string ledgerPosition, int photoRows, int files, int photoCopies, int shareLinks);
}
