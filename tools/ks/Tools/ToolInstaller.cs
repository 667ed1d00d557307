using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Keepsake.Ks.Tools;

/// <summary>
/// Downloads a pinned tool into <c>.deps/</c>: the file is checked against its recorded SHA-256 before anything is
/// unpacked or made executable, and only then moved into place. A mismatch is refused and leaves nothing behind.
/// </summary>
internal sealed class ToolInstaller(HttpClient http, string depsFolder)
{
    public async Task<string> InstallAsync(string name, PinnedTool tool, CancellationToken cancellationToken)
    {
        var platform = ToolManifest.Platform;
        if (!tool.Downloads.TryGetValue(platform, out var download))
        {
            throw new KsException($"{name} {tool.Version}: tools.json has no download for {platform}; install it yourself");
        }
        if (download.Sha256 is not { Length: 64 } expected)
        {
            throw new KsException($"{name} {tool.Version}: tools.json records no SHA-256 for {platform}, and ks installs nothing it cannot check; " +
                $"install it yourself from {download.Url} after checking it against the release's published checksum");
        }
        Directory.CreateDirectory(depsFolder);
        var target = Path.Combine(depsFolder, OperatingSystem.IsWindows() ? name + ".exe" : name);
        var downloaded = Path.Combine(depsFolder, $".{name}-{Guid.NewGuid():N}.download");
        var unpacked = Path.Combine(depsFolder, $".{name}-{Guid.NewGuid():N}.unpacked");
        try
        {
            var actual = await DownloadAsync(download.Url, downloaded, cancellationToken);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new KsException($"{name} {tool.Version}: the file from {download.Url} has SHA-256 {actual}, but tools.json pins {expected}; " +
                    "it was refused and deleted, and nothing was installed");
            }
            var binary = download.Archive switch
            {
                null => downloaded,
                "tar.gz" => await UnpackTarGzAsync(downloaded, download.Entry ?? name, unpacked, cancellationToken),
                "zip" => UnpackZip(downloaded, download.Entry ?? name, unpacked),
                var other => throw new KsException($"{name}: tools.json names an archive format ks does not know: {other}"),
            };
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            File.Move(binary, target, overwrite: true);
            return target;
        }
        finally
        {
            File.Delete(downloaded);
            File.Delete(unpacked);
        }
    }

    /// <summary>Writes the body to <paramref name="file"/> and returns its SHA-256 (lower-case hex).</summary>
    private async Task<string> DownloadAsync(Uri url, string file, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new KsException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        await using (var output = File.Create(file))
        {
            await response.Content.CopyToAsync(output, cancellationToken);
        }
        await using var input = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(input, cancellationToken));
    }

    private static async Task<string> UnpackTarGzAsync(string archive, string entryName, string unpacked, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(cancellationToken: cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && Path.GetFileName(entry.Name) == entryName)
            {
                await entry.ExtractToFileAsync(unpacked, overwrite: true, cancellationToken);
                return unpacked;
            }
        }
        throw new KsException($"{archive} holds no file named {entryName}");
    }

    private static string UnpackZip(string archive, string entryName, string unpacked)
    {
        using var zip = ZipFile.OpenRead(archive);
        var entry = zip.Entries.FirstOrDefault(e => e.Name == entryName) ?? throw new KsException($"{archive} holds no file named {entryName}");
        entry.ExtractToFile(unpacked, overwrite: true);
        return unpacked;
    }
}
