using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Backups;

/// <summary>Photo backup targets as settings, photos of unique content, and the copies' keys, for the tests of the photo copies.</summary>
public static class PhotoBackupTestKit
{
    public static Dictionary<string, string?> FolderTarget(string path) => new()
    {
        ["Backups:Photos:Provider"] = "filesystem",
        ["Backups:Photos:Path"] = path,
    };

    public static Dictionary<string, string?> S3Target(S3Server s3, string bucket)
    {
        var options = s3.Options(bucket);
        return new Dictionary<string, string?>
        {
            ["Backups:Photos:Provider"] = "s3",
            ["Backups:Photos:S3:ServiceUrl"] = options.ServiceUrl,
            ["Backups:Photos:S3:Bucket"] = bucket,
            ["Backups:Photos:S3:Region"] = options.Region,
            ["Backups:Photos:S3:ForcePathStyle"] = "true",
            ["Backups:Photos:S3:UseChunkEncoding"] = "false",
            ["Backups:Photos:S3:AccessKey"] = options.AccessKey,
            ["Backups:Photos:S3:SecretKey"] = options.SecretKey,
        };
    }

    /// <summary>An app's verb environment with a photo backup target set, as an operator's <c>KEEPSAKE_Backups__Photos__*</c> variables do.</summary>
    public static Dictionary<string, string?> With(KeepsakeApp app, IDictionary<string, string?> target)
    {
        var environment = app.Environment.ToDictionary();
        foreach (var (key, value) in target)
        {
            environment[Variable(key)] = value;
        }
        return environment;
    }

    public static string Variable(string setting) => "KEEPSAKE_" + setting.Replace(":", "__", StringComparison.Ordinal);

    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Where the target keeps a content: <c>sha256/ab/cd/abcd…</c>.</summary>
    public static string KeyOf(string sha256) => $"sha256/{sha256[..2]}/{sha256[2..4]}/{sha256}";

    /// <summary>The JPEG with a comment segment (COM) of its own after the start-of-image marker: content no other test uploads.</summary>
    public static byte[] UniqueJpeg(string jpeg)
    {
        var bytes = File.ReadAllBytes(jpeg);
        Assert.True(bytes[0] == 0xFF && bytes[1] == 0xD8, $"{jpeg} is not a JPEG");
        var comment = Encoding.ASCII.GetBytes($"unique {Guid.NewGuid():N}");
        byte[] segment = [0xFF, 0xFE, (byte)((comment.Length + 2) >> 8), (byte)(comment.Length + 2), .. comment];
        return [.. bytes.AsSpan(0, 2), .. segment, .. bytes.AsSpan(2)];
    }

    /// <summary>Uploads <paramref name="content"/> as one photo, which must be accepted.</summary>
    public static async Task<PhotoDetailsDto> UploadAsync(HttpClient user, byte[] content, string name = "photo.jpg")
    {
        var response = await KeepsakeApp.UploadAsync(user, [(name, content)]);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<UploadResponseDto>())!.Photos.Single().Photo;
    }

    /// <summary>The file's byte in the middle, inverted: what a failing disk or a bit flip leaves.</summary>
    public static async Task FlipAByteAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
    }

    /// <summary>The key of the photo's original in primary storage.</summary>
    public static async Task<string> OriginalKeyAsync(HttpClient user, Guid photoId)
    {
        var me = await (await user.GetAsync("/api/auth/me")).ReadAsync<Keepsake.Accounts.UserDto>();
        return PhotoBlobs.Original(me.Id, photoId);
    }
}
