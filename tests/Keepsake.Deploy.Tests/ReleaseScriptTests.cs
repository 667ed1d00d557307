using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>
/// The release's commits: set-image.sh writes a digest that kustomize renders as name@sha256, and
/// staging-image.sh reads back exactly the digest staging had at a commit, for promote.yml.
/// </summary>
public sealed class ReleaseScriptTests : IDisposable
{
    private const string Digest = "sha256:3f1c9a0b7d2e4f6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6";
    private const string LaterDigest = "sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a098765";

    private readonly string _copy = Directory.CreateTempSubdirectory("keepsake-release-").FullName;

    public ReleaseScriptTests() => CopyFolder(Repository.PathOf("deploy"), Path.Combine(_copy, "deploy"));

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    [Theory]
    [InlineData("staging")]
    [InlineData("prod")]
    public async Task After_a_release_the_overlay_renders_the_image_by_digest(string stage)
    {
        var set = await InCopyAsync("deploy/scripts/set-image.sh", stage, "main-7-abc1234", Digest);
        Assert.True(set.ExitCode == 0, set.Error);

        var rendered = await Repository.RunAsync("kubectl", ["kustomize", Path.Combine(_copy, "deploy", "k8s", "overlays", stage)]);

        Assert.True(rendered.ExitCode == 0, rendered.Error);
        var images = rendered.Output.Split('\n').Where(l => l.TrimStart().StartsWith("image: ghcr.io/keepsake-photos/keepsake", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(images);
        // kustomize keeps the tag beside the digest for people; a runtime pulls by the digest alone.
        Assert.All(images, image => Assert.Equal($"image: ghcr.io/keepsake-photos/keepsake:main-7-abc1234@{Digest}", image.Trim()));
    }

    [Fact]
    public async Task A_second_release_replaces_the_digest_rather_than_adding_one()
    {
        await InCopyAsync("deploy/scripts/set-image.sh", "staging", "main-7-abc1234", Digest);
        await InCopyAsync("deploy/scripts/set-image.sh", "staging", "main-8-def5678", LaterDigest);

        var overlay = await File.ReadAllTextAsync(Path.Combine(_copy, "deploy", "k8s", "overlays", "staging", "kustomization.yaml"));

        Assert.Contains($"    newTag: main-8-def5678\n    digest: {LaterDigest}\n", overlay, StringComparison.Ordinal);
        Assert.DoesNotContain(Digest, overlay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_image_refuses_latest_and_anything_that_is_not_a_sha256_digest()
    {
        Assert.NotEqual(0, (await InCopyAsync("deploy/scripts/set-image.sh", "staging", "latest", Digest)).ExitCode);
        var notDigest = await InCopyAsync("deploy/scripts/set-image.sh", "staging", "main-7-abc1234", "sha256:abc");
        Assert.NotEqual(0, notDigest.ExitCode);
        Assert.Contains("not an image digest: sha256:abc", notDigest.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_image_promoted_is_the_digest_staging_had_at_the_given_commit_not_the_one_it_has_now()
    {
        await GitAsync("init", "--quiet", "--initial-branch=main");
        await GitAsync("config", "user.name", "keepsake-release");
        await GitAsync("config", "user.email", "release@users.noreply.github.com");
        await GitAsync("add", "deploy");
        await GitAsync("commit", "--quiet", "--message", "Deploy tooling");
        var undeployed = await StagingImageAsync("HEAD");
        await InCopyAsync("deploy/scripts/set-image.sh", "staging", "main-7-abc1234", Digest);
        await GitAsync("commit", "--quiet", "--all", "--message", "Deploy main-7-abc1234 to staging");
        var verified = (await GitAsync("rev-parse", "HEAD")).Trim();
        await InCopyAsync("deploy/scripts/set-image.sh", "staging", "main-8-def5678", LaterDigest);
        await GitAsync("commit", "--quiet", "--all", "--message", "Deploy main-8-def5678 to staging");

        var promoted = await StagingImageAsync(verified);

        Assert.True(promoted.ExitCode == 0, promoted.Error);
        Assert.Equal($"main-7-abc1234 {Digest}", promoted.Output.Trim());
        Assert.Equal(1, undeployed.ExitCode);
        Assert.Contains("names no image digest", undeployed.Error, StringComparison.Ordinal);
    }

    private Task<ProcessResult> StagingImageAsync(string commit) => InCopyAsync("deploy/scripts/staging-image.sh", commit);

    private async Task<string> GitAsync(params string[] arguments)
    {
        var git = await InCopyAsync("git", arguments);
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {git.Error}");
        return git.Output;
    }

    /// <summary>Runs a command in the copy of deploy/, where the scripts may change the overlays.</summary>
    private Task<ProcessResult> InCopyAsync(string command, params string[] arguments) =>
        Repository.RunAsync("bash", ["-c", "cd \"$1\" && shift && exec \"$@\"", "-", _copy, command, .. arguments]);

    private static void CopyFolder(string from, string to)
    {
        foreach (var folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(folder.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
