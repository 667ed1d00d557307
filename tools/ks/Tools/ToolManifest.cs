using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keepsake.Ks.Tools;

/// <summary>
/// <c>tools/ks/tools.json</c>: each command-line tool the stages need, its pinned version, and per platform the upstream
/// URL and the SHA-256 its download must have. A platform without a recorded checksum is not installed by ks.
/// </summary>
internal sealed record ToolManifest(IReadOnlyDictionary<string, PinnedTool> Tools)
{
    public static string DefaultPath(KsContext context) => Path.Combine(context.RepositoryRoot, "tools", "ks", "tools.json");

    public static ToolManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ToolManifest>(File.ReadAllText(path), Options)
                ?? throw new KsException($"{path} is empty");
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new KsException($"cannot read the pinned tools from {path}: {e.Message}");
        }
    }

    /// <summary>This machine as tools.json names platforms: <c>linux-amd64</c>, <c>darwin-arm64</c>, <c>windows-amd64</c>, …</summary>
    public static string Platform
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
            var arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "amd64",
                Architecture.Arm64 => "arm64",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}-{arch}";
        }
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}

/// <summary>A tool's pinned version, what makes it print its version (e.g. <c>version --client</c>), and its downloads by platform.</summary>
internal sealed record PinnedTool(string Version, IReadOnlyList<string> VersionArguments, IReadOnlyDictionary<string, ToolDownload> Downloads);

/// <summary>
/// One platform's download: its URL, the published SHA-256 of that file (null where none was found to record), and for an
/// archive its format (<c>tar.gz</c>, <c>zip</c>) and the binary's name inside it.
/// </summary>
internal sealed record ToolDownload(Uri Url, string? Sha256, string? Archive = null, string? Entry = null);
