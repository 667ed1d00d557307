using System.Security.Cryptography;
using Keepsake.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Keepsake.Secrets;

/// <summary>
/// The key-encryption key, from the setting or (embedded default only) from a file made on first start. Read
/// once, when first needed: the server checks it at start (<see cref="Problem"/>), a verb that never touches a
/// session never needs it. <see cref="Id"/> names the key without revealing it, so a key ring sealed with
/// another key is recognised as such.
/// </summary>
public sealed class KeyEncryptionKey(IOptions<KeyEncryptionOptions> options, IOptions<DatabaseOptions> database)
{
    private readonly Lazy<(byte[]? Key, string? Problem)> _loaded = new(() => Load(options.Value, database.Value));

    /// <summary>Why there is no usable key (a missing setting on PostgreSQL, an unreadable file), or null.</summary>
    public string? Problem => _loaded.Value.Problem;

    public byte[] Value => _loaded.Value.Key ?? throw new InvalidOperationException(Problem);

    public string Id => IdOf(Value);

    internal static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));

    /// <summary>The file the embedded default keeps its key in: the setting, or beside the SQLite database.</summary>
    public static string? FileOf(KeyEncryptionOptions options, DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKeyFile))
        {
            return Path.GetFullPath(options.KeyEncryptionKeyFile);
        }
        if (!database.IsSqlite)
        {
            return null;
        }
        var dataSource = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataSource))!, "keepsake.kek");
    }

    private static (byte[]?, string?) Load(KeyEncryptionOptions options, DatabaseOptions database)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            return (KeyEncryptionOptions.DecodeKey(options.KeyEncryptionKey), null);
        }
        if (FileOf(options, database) is not { } file)
        {
            return (null, "DataProtection:KeyEncryptionKey is required with Database:Provider=postgres: every replica seals the session "
                + "keys with it, and it must not be in the database. Make one with 'openssl rand -base64 32' and give it to every "
                + "replica from a secret (KEEPSAKE_DataProtection__KeyEncryptionKey).");
        }
        try
        {
            return (ReadOrCreate(file), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return (null, $"the key-encryption key file '{file}' cannot be used: {e.Message}");
        }
    }

    private static byte[] ReadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            var key = RandomNumberGenerator.GetBytes(KeyEncryptionOptions.KeyBytes);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // Written aside, then moved into place without overwriting: two processes starting at once never
            // see half a key, and the second one reads the first one's key below.
            var aside = $"{file}.{Guid.NewGuid():N}.partial";
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(aside, create))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(aside, file, overwrite: false);
                return key;
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(aside);
            }
        }
        return KeyEncryptionOptions.DecodeKey(File.ReadAllText(file))
            ?? throw new FormatException($"it does not hold the base64 of {KeyEncryptionOptions.KeyBytes} bytes");
    }
}
