using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Deploy.Tests;

/// <summary>The image really builds and runs: read-only, non-root, serving photos; and the homelab overlay plays.</summary>
[Collection(ImageDrillCollection.Name)]
public sealed partial class ImageDrillTests(ImageDrill drill, ITestOutputHelper output)
{
    private static readonly string Photo = Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared", "testdata", "photos", "gps-apple-iphone4.jpg"));

    [Fact]
    public async Task The_image_runs_as_non_root_on_a_read_only_root_and_serves_an_uploaded_photo()
    {
        var port = FreePort();
        var name = $"keepsake-drill-{port}";
        var volume = $"{name}-data";
        var started = Stopwatch.StartNew();
        await drill.PodmanAsync(["run", "-d", "--name", name, "--read-only", "--tmpfs", "/tmp", "-v", $"{volume}:/data",
            "-p", $"127.0.0.1:{port}:8080", ImageDrill.Image]);
        try
        {
            using var client = BrowserLikeClient(port);
            var ready = await ImageDrill.WaitUntilReadyAsync(client, started, TimeSpan.FromSeconds(60));
            output.WriteLine($"image {drill.ImageBytes / 1_000_000} MB, podman run to ready {ready.TotalSeconds:0.0} s");

            await PostAsync(client, "/api/setup", JsonContent.Create(new { email = "owner@example.com", password = "correct horse battery" }));
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(Photo));
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "files", Path.GetFileName(Photo));
            var uploaded = await PostAsync(client, "/api/photos", form);
            var id = uploaded.GetProperty("photos")[0].GetProperty("photo").GetProperty("id").GetString();
            using var thumbnail = await client.GetAsync($"/api/photos/{id}/thumbnail");
            Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
            Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);

            var status = await drill.PodmanAsync(["exec", name, "cat", "/proc/1/status"]);
            Assert.Matches(@"Uid:\s+1000\s", status);
            var write = await drill.TryPodmanAsync(["exec", name, "touch", "/app/written"]);
            Assert.NotEqual(0, write.ExitCode);
            Assert.Contains("Read-only file system", write.Error, StringComparison.Ordinal);
        }
        finally
        {
            await drill.TryPodmanAsync(["rm", "-f", name]);
            await drill.TryPodmanAsync(["volume", "rm", "-f", volume]);
        }
    }

    [Fact]
    public async Task The_image_build_runs_the_front_end_and_the_back_end_unit_tests_in_its_test_stage()
    {
        var (took, results) = await TestStage.BuildAsync(drill);
        output.WriteLine($"test stage built in {took.TotalSeconds:0.0} s");

        // vitest's JUnit report and the trx of dotnet test, as the stage left them in /test-results.
        var web = WebSuites().Match(results);
        Assert.True(web.Success, results);
        Assert.True(int.Parse(web.Groups["tests"].Value, CultureInfo.InvariantCulture) > 0, "vitest ran no test");
        Assert.Equal(("0", "0"), (web.Groups["failures"].Value, web.Groups["errors"].Value));
        var server = ServerCounters().Match(results);
        Assert.True(server.Success, results);
        Assert.True(int.Parse(server.Groups["passed"].Value, CultureInfo.InvariantCulture) >= 10, $"only {server.Groups["passed"].Value} unit tests passed");
        Assert.Equal(("0", server.Groups["total"].Value), (server.Groups["failed"].Value, server.Groups["executed"].Value));
    }

    [Fact]
    public async Task The_homelab_overlay_plays_in_podman_and_its_pod_turns_ready()
    {
        var port = FreePort();
        var rendered = await Repository.RunAsync("kubectl", ["kustomize", Repository.PathOf("deploy", "k8s", "overlays", "homelab")]);
        Assert.Equal(0, rendered.ExitCode);
        var kube = Path.Combine(Path.GetTempPath(), $"keepsake-homelab-{port}.yaml");
        await File.WriteAllTextAsync(kube, AdaptForPodman(rendered.Output, port));
        // A run interrupted before its clean-up leaves the pod and its volume behind, and play refuses the name.
        await drill.TryPodmanAsync(["kube", "down", kube]);
        await drill.TryPodmanAsync(["volume", "rm", "-f", "keepsake-data"]);
        var started = Stopwatch.StartNew();
        try
        {
            await drill.PodmanAsync(["kube", "play", kube], TimeSpan.FromMinutes(2));
            using var client = BrowserLikeClient(port);
            var ready = await ImageDrill.WaitUntilReadyAsync(client, started, TimeSpan.FromSeconds(90));
            output.WriteLine($"homelab pod ready {ready.TotalSeconds:0.0} s after kube play");
        }
        finally
        {
            await drill.TryPodmanAsync(["kube", "down", kube]);
            await drill.TryPodmanAsync(["volume", "rm", "-f", "keepsake-data"]);
            File.Delete(kube);
        }
    }

    /// <summary>
    /// Only what podman 4.3 requires: its Deployment and ConfigMap, the image built here, a host port on
    /// loopback (it has no Service), no probes (they would need curl and systemd in the image) and no
    /// PersistentVolumeClaim document (play makes the claimed volume itself).
    /// </summary>
    private static string AdaptForPodman(string yaml, int port)
    {
        var documents = yaml.Split("\n---\n").Where(d => d.Contains("kind: Deployment", StringComparison.Ordinal) || d.Contains("kind: ConfigMap", StringComparison.Ordinal));
        var adapted = string.Join("\n---\n", documents)
            .Replace("image: ghcr.io/keepsake-photos/keepsake:", "image: localhost/keepsake:drill #", StringComparison.Ordinal)
            .Replace("        - containerPort: 8080\n", $"        - containerPort: 8080\n          hostIP: 127.0.0.1\n          hostPort: {port}\n", StringComparison.Ordinal);
        return RemoveProbes(adapted);
    }

    private static string RemoveProbes(string yaml)
    {
        var kept = new List<string>();
        var skipIndent = -1;
        foreach (var line in yaml.Split('\n'))
        {
            var indent = line.Length - line.TrimStart().Length;
            if (skipIndent >= 0 && (indent > skipIndent || line.Trim().Length == 0))
            {
                continue;
            }
            skipIndent = -1;
            if (line.TrimStart() is "livenessProbe:" or "readinessProbe:" or "startupProbe:")
            {
                skipIndent = indent;
                continue;
            }
            kept.Add(line);
        }
        return string.Join('\n', kept);
    }

    private static HttpClient BrowserLikeClient(int port) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

    /// <summary>Posts the way the web app does: with a fresh antiforgery token in its header.</summary>
    private static async Task<JsonElement> PostAsync(HttpClient client, string path, HttpContent content)
    {
        var token = await client.GetFromJsonAsync<JsonElement>("/api/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString());
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(body);
    }

    [GeneratedRegex("""<testsuites name="vitest tests" tests="(?<tests>\d+)" failures="(?<failures>\d+)" errors="(?<errors>\d+)"[^>]*>""")]
    private static partial Regex WebSuites();

    [GeneratedRegex("""<Counters total="(?<total>\d+)" executed="(?<executed>\d+)" passed="(?<passed>\d+)" failed="(?<failed>\d+)"[^>]*>""")]
    private static partial Regex ServerCounters();

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
