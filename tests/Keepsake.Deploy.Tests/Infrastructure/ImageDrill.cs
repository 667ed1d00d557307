using System.Diagnostics;
using System.Globalization;
using Keepsake.Deploy.Tests.Tilt;

namespace Keepsake.Deploy.Tests.Infrastructure;

/// <summary>
/// Builds deploy/Containerfile with podman once for the drill tests, with the very command the Tiltfile gives Tilt
/// (so the image developers run is the one tested, and one build serves both). No registry is reachable here, so
/// the runtime base is a Debian made locally with mmdebstrap (cached as a podman image across runs), passed in
/// through the Tiltfile's KEEPSAKE_RUNTIME_BASE, and the server is published on the host by scripts/test.sh
/// (--target prebuilt); the runtime stage is the real one.
/// The test stage runs on an SDK image made from that base and this machine's .NET SDK and node (see TestStage).
/// </summary>
public sealed class ImageDrill : IAsyncLifetime
{
    public const string Image = "localhost/keepsake:drill";

    public const string BaseImage = "localhost/keepsake-drill-base:bookworm";

    private readonly string _folder = Directory.CreateTempSubdirectory("keepsake-drill-").FullName;

    /// <summary>Environment for every podman call: this machine's runc needs lower default ulimits.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public long ImageBytes { get; private set; }

    /// <summary>The Tiltfile as the shim read it with this drill's base image, whose image build made <see cref="Image"/>.</summary>
    public TiltfileRun Tiltfile { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var missing = new[] { "podman", "mmdebstrap", "runc" }.Where(tool => !OnPath(tool)).ToList();
        Assert.True(missing.Count == 0,
            $"THE IMAGE DRILL CANNOT RUN: {string.Join(", ", missing)} missing. scripts/test.sh installs them (apt-get install podman runc mmdebstrap).");
        var configuration = Path.Combine(_folder, "containers.conf");
        await File.WriteAllTextAsync(configuration, """
            [containers]
            default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
            [engine]
            runtime = "runc"
            """);
        Environment["CONTAINERS_CONF"] = configuration;

        await EnsureBaseImageAsync();
        Assert.True(File.Exists(Repository.PathOf("artifacts", "container-publish", "keepsake")),
            "THE IMAGE DRILL CANNOT RUN: artifacts/container-publish holds no published server. scripts/test.sh publishes it before the tests.");
        Tiltfile = await TiltfileRun.RunAsync(new Dictionary<string, string> { ["KEEPSAKE_RUNTIME_BASE"] = BaseImage });
        // The build, not the push that follows it: there is no registry here.
        var build = Tiltfile.ImageBuildSteps[0];
        await RequireAsync("sh", ["-c", build], TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["EXPECTED_REF"] = Image });
        var size = await PodmanAsync(["image", "inspect", "--format", "{{.Size}}", Image]);
        ImageBytes = long.Parse(size.Trim(), CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        await Repository.RunAsync("podman", ["rmi", "-f", Image], Environment);
        Directory.Delete(_folder, recursive: true);
    }

    public async Task<string> PodmanAsync(IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        await RequireAsync("podman", arguments, timeout);

    public Task<ProcessResult> TryPodmanAsync(IEnumerable<string> arguments) => Repository.RunAsync("podman", arguments, Environment);

    private async Task EnsureBaseImageAsync()
    {
        if ((await TryPodmanAsync(["image", "exists", BaseImage])).ExitCode == 0)
        {
            return;
        }
        var rootfs = Path.Combine(_folder, "rootfs.tar");
        // The runtime's needs (ICU, OpenSSL, zlib, CA certificates) and pg_dump for backups on PostgreSQL.
        await RequireAsync("mmdebstrap", ["--quiet", "--variant=minbase", "--include=ca-certificates,libicu72,libssl3,zlib1g,postgresql-client",
            "--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr",
            """--customize-hook=rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/* "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*""",
            "bookworm", rootfs, "/etc/apt/sources.list.d/debian.sources"], TimeSpan.FromMinutes(8));
        await PodmanAsync(["import", "-q", rootfs, BaseImage]);
    }

    private async Task<string> RequireAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? more = null)
    {
        var list = arguments.ToList();
        var environment = Environment.Concat(more ?? new Dictionary<string, string>()).ToDictionary();
        var result = await Repository.RunAsync(fileName, list, environment, timeout);
        Assert.True(result.ExitCode == 0, $"{fileName} {string.Join(' ', list)} failed ({result.ExitCode}): {result.Error}{result.Output}");
        return result.Output;
    }

    private static bool OnPath(string tool) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, tool)));

    public static async Task<TimeSpan> WaitUntilReadyAsync(HttpClient client, Stopwatch since, TimeSpan timeout)
    {
        while (since.Elapsed < timeout)
        {
            try
            {
                using var response = await client.GetAsync("/healthz/ready");
                if (response.IsSuccessStatusCode)
                {
                    return since.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"not ready within {timeout}");
    }
}
