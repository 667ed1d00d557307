using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Keepsake.Secrets;

/// <summary>
/// Seals each data-protection key's secret with AES-256-GCM under the key-encryption key before it is stored.
/// The sealed element names the key-encryption key it was made with (its <see cref="KeyEncryptionKey.Id"/>).
/// </summary>
public sealed class KeyRingEncryptor(KeyEncryptionKey kek) : IXmlEncryptor
{
    internal static readonly XNamespace Namespace = "urn:keepsake:data-protection";
    internal static readonly XName SealedElement = Namespace + "sealed";
    internal static readonly byte[] AssociatedData = Encoding.ASCII.GetBytes("keepsake data-protection key");
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(kek.Value, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), AssociatedData);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(SealedElement, new XAttribute("kek", kek.Id), Convert.ToBase64String(sealedBytes));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }

    internal static XElement Open(byte[] key, XElement sealedElement)
    {
        var sealedBytes = Convert.FromBase64String(sealedElement.Value);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A sealed data-protection key is too short to be one.");
        }
        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plaintext, AssociatedData);
        }
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Opens what <see cref="KeyRingEncryptor"/> sealed. Data protection creates it by name from the stored key
/// (hence the <see cref="IServiceProvider"/> constructor). A key sealed under another key-encryption key (a
/// database restored on a machine with a different or a new one) cannot be opened: it is logged once, data
/// protection sets that key aside and makes a new one, and everybody signs in again.
/// </summary>
public sealed partial class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private static readonly HashSet<string> ReportedForeignKeys = [];

    public XElement Decrypt(XElement encryptedElement)
    {
        var kek = services.GetRequiredService<KeyEncryptionKey>();
        var sealedWith = encryptedElement.Attribute("kek")?.Value ?? "";
        if (sealedWith != kek.Id)
        {
            lock (ReportedForeignKeys)
            {
                if (ReportedForeignKeys.Add(sealedWith))
                {
                    LogForeignKey(services.GetRequiredService<ILogger<KeyRingDecryptor>>(), sealedWith, kek.Id);
                }
            }
            throw new CryptographicException(
                $"This data-protection key was sealed with key-encryption key {sealedWith}, not with this server's {kek.Id}.");
        }
        return KeyRingEncryptor.Open(kek.Value, encryptedElement);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database holds session keys sealed with another key-encryption key ({SealedWith}; this server has {Current}): "
        + "sessions signed with them have ended and everybody signs in again. To keep them, start with the DataProtection:KeyEncryptionKey (or key file) the database was made with.")]
    private static partial void LogForeignKey(ILogger logger, string sealedWith, string current);
}
