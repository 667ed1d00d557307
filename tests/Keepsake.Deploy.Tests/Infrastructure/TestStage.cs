using System.Diagnostics;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// Builds the Containerfile's test stage here, where no registry is reachable: the node and SDK stages are
/// replaced (--build-context) by one image made from the drill's Debian base with this machine's .NET SDK,
/// node and npm copied in, cached across runs under a name that carries their versions. The build has no
/// network: npm installs from this machine's npm cache (offline) and NuGet from its global packages folder,
/// both mounted as overlays (the build may write, the host's folders stay as they were). Podman keeps the
/// layers, so only what changed is built again.
/// </summary>
public static class TestStage
{
    public const string Image = "localhost/keepsake:drill-test";

    private static readonly string NuGetPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Builds --target test and returns how long it took and what the stage recorded in /test-results.</summary>
    public static async Task<(TimeSpan Took, string Results)> BuildAsync(ImageDrill drill)
    {
        var sdkImage = await EnsureSdkImageAsync(drill);
        // Where the web app's 'npm ci' of scripts/test.sh left the packages.
        var npmCache = (await Repository.RunAsync("npm", ["config", "get", "cache"])).Output.Trim();
        var started = Stopwatch.StartNew();
        await drill.PodmanAsync(["build", "-q", "--pull=never", "--network=none", "--layers", "-f", Repository.PathOf("deploy", "Containerfile"),
            "--build-context", $"node-base=container-image://{sdkImage}", "--build-context", $"sdk-base=container-image://{sdkImage}",
            "-v", $"{NuGetPackages}:/nuget-packages:O", "-v", $"{npmCache}:/npm-cache:O",
            "--target", "test", "-t", Image, Repository.Root], TimeSpan.FromMinutes(10));
        var took = started.Elapsed;
        var results = await drill.PodmanAsync(["run", "--rm", "--network=none", "--entrypoint", "sh", Image, "-c", "cat /test-results/web.xml /test-results/server.trx"]);
        return (took, results);
    }

    private static async Task<string> EnsureSdkImageAsync(ImageDrill drill)
    {
        var dotnet = ResolveOnPath("dotnet");
        var node = ResolveOnPath("node");
        var npm = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(node)!, "..", "lib", "node_modules", "npm"));
        Assert.True(File.Exists(Path.Combine(npm, "bin", "npm-cli.js")), $"THE TEST STAGE CANNOT BE BUILT: no npm beside node in {npm}");
        var sdkVersion = (await Repository.RunAsync("dotnet", ["--version"])).Output.Trim();
        var nodeVersion = (await Repository.RunAsync("node", ["--version"])).Output.Trim();
        var image = $"localhost/keepsake-drill-sdk:{sdkVersion}-node{nodeVersion.TrimStart('v')}";
        if ((await drill.TryPodmanAsync(["image", "exists", image])).ExitCode == 0)
        {
            return image;
        }
        var folder = Directory.CreateTempSubdirectory("keepsake-drill-sdk-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Containerfile"), $"""
                FROM {ImageDrill.BaseImage}
                RUN cp -a /host/dotnet /usr/share/dotnet && ln -s /usr/share/dotnet/dotnet /usr/local/bin/dotnet \
                    && cp /host/node /usr/local/bin/node && mkdir -p /usr/local/lib/node_modules \
                    && cp -a /host/npm /usr/local/lib/node_modules/npm \
                    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
                ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 NUGET_PACKAGES=/nuget-packages \
                    npm_config_cache=/npm-cache npm_config_offline=true npm_config_update_notifier=false
                """);
            await drill.PodmanAsync(["build", "-q", "--pull=never", "--network=none", "--layers=false",
                "-v", $"{Path.GetDirectoryName(dotnet)}:/host/dotnet:ro", "-v", $"{node}:/host/node:ro", "-v", $"{npm}:/host/npm:ro",
                "-t", image, folder], TimeSpan.FromMinutes(5));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return image;
    }

    private static string ResolveOnPath(string tool)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(folder => Path.Combine(folder, tool)).FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"THE TEST STAGE CANNOT BE BUILT: {tool} is not on PATH");
        return new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found;
    }
}
