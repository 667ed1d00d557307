using System.Xml.Linq;
using Keepsake.Data;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Secrets;

/// <summary>
/// Seals data-protection keys that an earlier release stored in the clear (or that came back with the restore
/// of an old backup), in place: the same keys, so every session stays valid, but no longer readable from the
/// database alone. Data protection marks a key's secret with <c>requiresEncryption</c> and, once sealed, wraps it
/// in an <c>encryptedSecret</c> element naming its decryptor; this does the same for the marked elements it finds.
/// </summary>
public sealed partial class KeyRingReprotection(KeepsakeDbContext db, KeyEncryptionKey kek, ILogger<KeyRingReprotection> logger)
{
    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";

    /// <summary>Seals every key still stored in the clear; returns how many there were.</summary>
    public async Task<int> ReprotectAsync(CancellationToken cancellationToken)
    {
        var encryptor = new KeyRingEncryptor(kek);
        var sealedKeys = 0;
        foreach (var row in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            if (row.Xml is null)
            {
                continue;
            }
            var key = XElement.Parse(row.Xml);
            var secrets = key.DescendantsAndSelf().Where(e => (bool?)e.Attribute(DataProtectionNamespace + "requiresEncryption") == true).ToList();
            if (secrets.Count == 0)
            {
                continue;
            }
            foreach (var secret in secrets)
            {
                var info = encryptor.Encrypt(secret);
                secret.ReplaceWith(new XElement(DataProtectionNamespace + "encryptedSecret",
                    new XAttribute("decryptorType", info.DecryptorType.AssemblyQualifiedName!), info.EncryptedElement));
            }
            // Data protection's own note that the key below is unencrypted no longer holds.
            key.DescendantNodes().OfType<XComment>().Remove();
            row.Xml = key.ToString(SaveOptions.DisableFormatting);
            sealedKeys++;
        }
        if (sealedKeys > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogSealed(logger, sealedKeys);
        }
        return sealedKeys;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sealed {Count} session key(s) that were stored in the clear with the key-encryption key. "
        + "Database backups taken before now still hold them in the clear: keep those as private as the key, or let them expire")]
    private static partial void LogSealed(ILogger logger, int count);
}
