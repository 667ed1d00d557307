using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Deploy.Tests.Tilt;

/// <summary>
/// The Tiltfile's live update, played by hand on the image its build command made (the drill's image): the server
/// under the Tiltfile's entrypoint, files put into the container the way Tilt syncs them (<c>tar -C / -x</c> through
/// an exec), then the Tiltfile's run steps, exactly as recorded.
/// </summary>
[Collection(ImageDrillCollection.Name)]
public sealed class TiltLiveUpdateDrillTests(ImageDrill drill, ITestOutputHelper output)
{
    private const string Marker = "<!-- synced by the live-update drill -->";

    [Fact]
    public async Task The_server_runs_from_its_live_copy_serves_synced_files_at_once_and_restarts_in_place_on_a_server_change()
    {
        var tilt = drill.Tiltfile;
        var syncs = tilt.LiveUpdate("sync").ToDictionary(s => s["local_path"]!.GetValue<string>(), s => s["remote_path"]!.GetValue<string>());
        var (server, web) = (syncs.Keys.Single(k => k.StartsWith("artifacts/", StringComparison.Ordinal)), syncs.Keys.Single(k => k.EndsWith("wwwroot", StringComparison.Ordinal)));
        var settings = (await RenderedOverlay.RenderAsync("local")).All<V1ConfigMap>().Single().Data;
        var port = ImageDrillTests.FreePort();
        var name = $"keepsake-tilt-{port}";
        var started = Stopwatch.StartNew();
        await drill.PodmanAsync(["run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp", "-v", $"{name}-data:/data",
            "-e", $"KEEPSAKE_Shutdown__DrainDelay={settings["KEEPSAKE_Shutdown__DrainDelay"]}", "-p", $"127.0.0.1:{port}:8080",
            "--entrypoint", JsonSerializer.Serialize(tilt.ImageBuild.Texts("entrypoint")), ImageDrill.Image]);
        try
        {
            using var client = Client(port, host: null);
            output.WriteLine($"ready {(await ImageDrill.WaitUntilReadyAsync(client, started, TimeSpan.FromSeconds(60))).TotalSeconds:0.0} s after podman run");
            var (firstServer, container) = (await ServerPidAsync(name), await ContainerPidAsync(name));

            // A web change: the new build's index.html is served at once, by the same process.
            var index = await File.ReadAllTextAsync(Repository.PathOf(web, "index.html"));
            await SyncAsync(name, syncs[web], "index.html", index + Marker);
            Assert.Contains(Marker, await client.GetStringAsync("/"), StringComparison.Ordinal);
            Assert.Equal(firstServer, await ServerPidAsync(name));

            // A server change (here its settings: only hosts named keepsake.localhost), then the run steps.
            var appSettings = JsonNode.Parse(await File.ReadAllTextAsync(Repository.PathOf(server, "appsettings.json")))!;
            appSettings["AllowedHosts"] = "keepsake.localhost";
            // The running server may pick the file up on its own (appsettings.json reloads on change), so what proves the
            // restart is the new process below, not the old one's answers in between.
            await SyncAsync(name, syncs[server], "appsettings.json", appSettings.ToJsonString());
            var restarted = Stopwatch.StartNew();
            foreach (var run in tilt.LiveUpdate("run").Select(r => r["cmd"]!.GetValue<string>()))
            {
                await drill.PodmanAsync(["exec", name, "sh", "-c", run]);
            }
            using var named = Client(port, host: "keepsake.localhost");
            output.WriteLine($"ready again {(await ImageDrill.WaitUntilReadyAsync(named, restarted, TimeSpan.FromSeconds(30))).TotalSeconds:0.0} s after the run steps");

            Assert.NotEqual(firstServer, await ServerPidAsync(name));
            Assert.Equal(container, await ContainerPidAsync(name));
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/healthz/live")).StatusCode);
            Assert.Contains(Marker, await named.GetStringAsync("/"), StringComparison.Ordinal);

            // Stopping the container stops the server through the loop, which exits with the server's status.
            await drill.PodmanAsync(["stop", "-t", "30", name]);
            Assert.Equal("0", (await drill.PodmanAsync(["inspect", "--format", "{{.State.ExitCode}}", name])).Trim());
        }
        finally
        {
            await drill.TryPodmanAsync(["rm", "-f", name]);
            await drill.TryPodmanAsync(["volume", "rm", "-f", $"{name}-data"]);
        }
    }

    /// <summary>What Tilt does for a changed file: a tar of it at its remote path, unpacked at / by <c>tar</c> in the container.</summary>
    private async Task SyncAsync(string container, string remoteFolder, string file, string content)
    {
        var archive = Path.Combine(Path.GetTempPath(), $"{container}-{Guid.NewGuid():N}.tar");
        try
        {
            await using (var stream = File.Create(archive))
            await using (var writer = new TarWriter(stream))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, $"{remoteFolder.TrimStart('/')}/{file}")
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                await writer.WriteEntryAsync(entry);
            }
            var untar = await Repository.RunAsync("sh", ["-c", $"podman exec -i {container} tar -C / -x -f - < {archive}"], drill.Environment);
            Assert.True(untar.ExitCode == 0, $"tar in the container failed: {untar.Error}");
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private async Task<string> ServerPidAsync(string container) => (await drill.PodmanAsync(["exec", container, "cat", "/tmp/keepsake.pid"])).Trim();

    private async Task<string> ContainerPidAsync(string container) => (await drill.PodmanAsync(["inspect", "--format", "{{.State.Pid}}", container])).Trim();

    private static HttpClient Client(int port, string? host)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Host = host;
        return client;
    }
}
