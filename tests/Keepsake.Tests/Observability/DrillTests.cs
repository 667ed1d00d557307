using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Xunit.Abstractions;

namespace Keepsake.Tests.Observability;

/// <summary>
/// The operator's worst days, rehearsed with real processes: a rolling restart under load, a power cut in
/// the middle of uploads, the database going away. Load is bounded in requests and time and targets
/// 127.0.0.1 only. The figures each drill measured go to the test output.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class DrillTests(ITestOutputHelper output)
{

    private static readonly byte[] TinyJpeg = File.ReadAllBytes(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));

    /// <summary>A photo no upload has sent before: a JPEG ends at its end-of-image marker, and what follows
    /// changes the file's hash (so it is not a duplicate) but not the picture.</summary>
    private static (string Name, byte[] Content) UniquePhoto(int number) =>
        ($"drill-{number}.jpg", [.. TinyJpeg, .. System.Text.Encoding.ASCII.GetBytes($"drill {number} {Guid.NewGuid():N}")]);

    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
    public async Task A_rolling_restart_of_two_replicas_behind_nginx_fails_no_request_and_loses_no_upload()
    {
        using var folder = new TemporaryFolder();
        var database = MigratedDatabases.CreatePostgresDatabase();
        var settings = new Dictionary<string, string?>(S3Server.Shared.Settings(await S3Server.Shared.CreateBucketAsync()))
        {
            ["Database:Provider"] = "postgres",
            ["DataProtection:KeyEncryptionKey"] = KeepsakeApp.TestKeyEncryptionKey,
            ["Database:ConnectionString"] = database,
            ["Cache:Redis"] = RedisServer.Instance.Configuration,
            ["Cache:InstanceName"] = $"drill-{Guid.NewGuid():N}:",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Shutdown:DrainDelay"] = "00:00:03",
        };
        var replicas = new[] { await ServerProcess.StartAsync(folder.Path, settings), await ServerProcess.StartAsync(folder.Path, settings) };
        try
        {
            await using var balancer = await NginxLoadBalancer.StartAsync([.. replicas.Select(r => r.PublicAddress)]);
            using var endpoints = new CancellationTokenSource();
            var watcher = FollowReadinessAsync(balancer, replicas, endpoints.Token);
            var cookies = new CookieContainer();
            using var owner = BrowserClients.CreateBrowserClient(balancer.Address, cookies);
            await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
            var first = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));

            var load = new BoundedLoad(TimeSpan.FromMinutes(4), maxRequests: 20_000);
            var readers = Enumerable.Range(0, 2).Select(_ => load.RunAsync(async token =>
            {
                using var timeline = await owner.GetAsync("/api/photos", token);
                load.Record("timeline", timeline.StatusCode);
                using var thumbnail = await owner.GetAsync($"/api/photos/{first.Id}/thumbnail", token);
                load.Record("thumbnail", thumbnail.StatusCode);
            })).ToList();
            var acknowledged = new ConcurrentBag<Guid>();
            var uploader = load.RunAsync(async token =>
            {
                using var upload = await KeepsakeApp.UploadAsync(owner, [UniquePhoto(load.Requests)], token);
                load.Record("upload", upload.StatusCode);
                if (upload.IsSuccessStatusCode)
                {
                    acknowledged.Add((await upload.Content.ReadFromJsonAsync<UploadResponseDto>(token))!.Photos.Single().Photo.Id);
                }
            });

            for (var i = 0; i < replicas.Length; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var old = replicas[i];
                old.Terminate();
                Assert.True(await old.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, old.Output);
                await old.DisposeAsync();
                replicas[i] = await ServerProcess.StartAsync(folder.Path, settings, publicPort: old.PublicAddress.Port);
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            load.Stop();
            await Task.WhenAll([.. readers, uploader]);
            await endpoints.CancelAsync();
            await watcher;

            output.WriteLine($"rolling restart: {load.Summary}; uploads acknowledged: {acknowledged.Count}");
            Assert.True(load.Failures.IsEmpty, "failed: " + string.Join("; ", load.Failures) + "\n" + balancer.ErrorLog);
            Assert.True(acknowledged.Count > 5 && load.Requests > 50, load.Summary);
            var listed = await AllPhotoIdsAsync(owner);
            Assert.Empty(acknowledged.Except(listed));
            foreach (var id in acknowledged)
            {
                using var original = await owner.GetAsync($"/api/photos/{id}/original");
                Assert.Equal(HttpStatusCode.OK, original.StatusCode);
            }
        }
        finally
        {
            // A failed assertion must not leave replicas running on the machine.
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    /// <summary>What Kubernetes' endpoints and an ingress controller do: a replica whose readiness is not 200 gets no new requests.</summary>
    private static async Task FollowReadinessAsync(NginxLoadBalancer balancer, ServerProcess[] replicas, CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var routed = replicas.Select(r => r.PublicAddress).ToHashSet();
        while (!cancellationToken.IsCancellationRequested)
        {
            var ready = new HashSet<Uri>();
            foreach (var address in replicas.Select(r => r.PublicAddress).Distinct())
            {
                try
                {
                    using var response = await probe.GetAsync(new Uri(address, "/healthz/ready"), CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        ready.Add(address);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Down or not listening: not ready.
                }
            }
            if (ready.Count > 0 && !ready.SetEquals(routed))
            {
                await balancer.RouteToAsync(ready);
                routed = ready;
            }
            await Task.Delay(100, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Killed_hard_during_200_parallel_uploads_every_acknowledged_upload_survives_with_its_files()
    {
        using var app = new KeepsakeApp();
        var cookies = new CookieContainer();
        var acknowledged = new ConcurrentDictionary<Guid, byte[]>();
        await using (var server = await ServerProcess.StartAsync(app))
        {
            using var owner = server.CreateBrowserClient(cookies);
            await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
            using var uploader = server.CreateBrowserClient(cookies);
            var uploads = Enumerable.Range(0, 200).Select(async number =>
            {
                var photo = UniquePhoto(number);
                try
                {
                    using var response = await KeepsakeApp.UploadAsync(uploader, [photo]);
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged[(await response.Content.ReadFromJsonAsync<UploadResponseDto>())!.Photos.Single().Photo.Id] = photo.Content;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    // Cut off by the kill: never acknowledged, so nothing is promised about it.
                }
            }).ToList();
            var waited = Stopwatch.StartNew();
            while (acknowledged.Count < 20 && waited.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(10);
            }
            server.KillHard();
            await Task.WhenAll(uploads);
        }
        output.WriteLine($"kill -9: {acknowledged.Count} of 200 uploads acknowledged before the kill");
        Assert.InRange(acknowledged.Count, 20, 199);

        await using (var restarted = await ServerProcess.StartAsync(app))
        {
            using var owner = restarted.CreateBrowserClient(cookies);
            foreach (var (id, content) in acknowledged)
            {
                using var original = await owner.GetAsync($"/api/photos/{id}/original");
                Assert.Equal(HttpStatusCode.OK, original.StatusCode);
                Assert.Equal(content, await original.Content.ReadAsByteArrayAsync());
                using var thumbnail = await owner.GetAsync($"/api/photos/{id}/thumbnail");
                Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
            }
        }

        // No row without its files; files of uploads the kill cut off have no row and are removed as orphans.
        var check = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        Assert.DoesNotContain(check.Lines, line => line.StartsWith("missing file", StringComparison.Ordinal));
        Assert.Contains("database integrity: ok", check.Lines);
        var repair = await CliRunner.RunAsync(app, "fsck --repair --min-age-minutes 0");
        Assert.True(repair.ExitCode == 0, repair.Output + repair.Error);
        var after = await CliRunner.RunAsync(app, "fsck --min-age-minutes 0");
        Assert.True(after.ExitCode == 0, after.Output + after.Error);
        output.WriteLine($"kill -9: fsck before repair: {check.Lines[^1]}");
    }

    [Fact]
    [Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
    public async Task With_PostgreSQL_stopped_for_30_seconds_under_load_the_api_answers_503_and_is_ready_again_within_5_seconds()
    {
        using var postgres = PostgresServer.StartPrivate();
        using var folder = new TemporaryFolder();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["DataProtection:KeyEncryptionKey"] = KeepsakeApp.TestKeyEncryptionKey,
            ["Database:ConnectionString"] = MigratedDatabases.CreatePostgresDatabase(postgres),
            ["Storage:Path"] = Path.Combine(folder.Path, "data"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var server = await ServerProcess.StartAsync(folder.Path, settings);
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        using var probe = new HttpClient { BaseAddress = server.PublicAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Each answer is judged by the phase its request started and ended in; one that spans two phases proves nothing.
        const int Before = 0, Stopping = 1, Down = 2, Recovering = 3, After = 4;
        var phase = Before;
        var outage = new ConcurrentBag<string>();
        var answeredDuringOutage = 0;
        var load = new BoundedLoad(TimeSpan.FromMinutes(3), maxRequests: 5_000);
        var readers = Enumerable.Range(0, 2).Select(_ => load.RunAsync(async token =>
        {
            var startedIn = Volatile.Read(ref phase);
            using var timeline = await owner.GetAsync("/api/photos", token);
            var endedIn = Volatile.Read(ref phase);
            if (startedIn == Down && endedIn == Down)
            {
                Interlocked.Increment(ref answeredDuringOutage);
                if (timeline.StatusCode != HttpStatusCode.ServiceUnavailable || timeline.Headers.RetryAfter?.Delta is null)
                {
                    outage.Add($"{(int)timeline.StatusCode} retry-after {timeline.Headers.RetryAfter}");
                }
            }
            else if (startedIn == endedIn && startedIn is Before or After)
            {
                load.Record(startedIn == Before ? "timeline before" : "timeline after", timeline.StatusCode);
            }
            await Task.Delay(50, token);
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        Volatile.Write(ref phase, Stopping);
        postgres.StopNow();
        Volatile.Write(ref phase, Down);
        await Task.Delay(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probe.GetAsync("/healthz/ready")).StatusCode);
        Assert.False(server.HasExited, server.Output);
        Volatile.Write(ref phase, Recovering);
        postgres.StartAgain();
        var recovering = Stopwatch.StartNew();
        while ((await probe.GetAsync("/healthz/ready")).StatusCode != HttpStatusCode.OK && recovering.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        var readyAfter = recovering.Elapsed;
        Volatile.Write(ref phase, After);
        await Task.Delay(TimeSpan.FromSeconds(2));
        load.Stop();
        await Task.WhenAll(readers);

        output.WriteLine($"database outage: {answeredDuringOutage} answers during it, {outage.Count} of them not 503 + Retry-After; " +
            $"ready {readyAfter.TotalSeconds:0.00} s after PostgreSQL was back; before and after: {load.Summary}");
        Assert.Empty(outage);
        Assert.True(answeredDuringOutage > 20, $"only {answeredDuringOutage} answers during the outage");
        Assert.True(readyAfter <= TimeSpan.FromSeconds(5), $"ready only {readyAfter} after the database returned");
        Assert.True(load.Failures.IsEmpty, "after the outage: " + string.Join("; ", load.Failures));
        Assert.False(server.HasExited, server.Output);
    }

    private static async Task<HashSet<Guid>> AllPhotoIdsAsync(HttpClient owner)
    {
        var ids = new HashSet<Guid>();
        var url = "/api/photos?limit=200";
        while (true)
        {
            var page = await owner.GetPageAsync(url);
            ids.UnionWith(page.Items.Select(p => p.Id));
            if (page.NextCursor is null)
            {
                return ids;
            }
            url = $"/api/photos?limit=200&cursor={Uri.EscapeDataString(page.NextCursor)}";
        }
    }

    /// <summary>Clients in a loop until stopped, a time limit or a request budget, whichever comes first;
    /// every answer that is not a success, and every exception, is a failure.</summary>
    private sealed class BoundedLoad(TimeSpan timeLimit, int maxRequests)
    {
        private readonly CancellationTokenSource _stop = new(timeLimit);
        private readonly ConcurrentDictionary<string, int> _served = new();
        private int _requests;

        public ConcurrentQueue<string> Failures { get; } = new();

        public int Requests => Volatile.Read(ref _requests);

        /// <summary>HTTP answers by kind; a client's loop turn may make more than one request.</summary>
        public string Summary => $"{_served.Values.Sum() + Failures.Count} answers ({string.Join(", ", _served.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))}), {Failures.Count} failed";

        public void Stop() => _stop.Cancel();

        public void Record(string what, HttpStatusCode status)
        {
            if ((int)status is >= 200 and < 300)
            {
                _served.AddOrUpdate(what, 1, (_, n) => n + 1);
            }
            else
            {
                Failures.Enqueue($"{what}: {(int)status}");
            }
        }

        public Task RunAsync(Func<CancellationToken, Task> client) => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _requests) <= maxRequests)
            {
                try
                {
                    await client(_stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    Failures.Enqueue(e.GetType().Name + ": " + e.Message);
                }
            }
        });
    }
}
