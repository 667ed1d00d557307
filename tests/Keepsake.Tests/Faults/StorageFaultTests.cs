using System.Net;
using System.Net.Http.Json;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Observability;

namespace Keepsake.Tests.Faults;

/// <summary>
/// A full disk, a read-only data folder and a read-only database, made for real (a tmpfs of the test's own, remounted
/// read-only and back) under a real server process. Before: 400 "Malformed upload" logged at Information and counted as
/// malformed, readiness 200 throughout, and a server that started on a read-only database and failed every write.
/// The embedded stack is what has a local disk to fill, so these run on it in both test runs.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
[Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
public sealed class StorageFaultTests
{
    private const long MB = 1024 * 1024;
    private const HttpStatusCode InsufficientStorage = (HttpStatusCode)507;

    /// <summary>The embedded stack with its database, data folder and upload staging in the given folders (each may be a disk of its own).</summary>
    private static Dictionary<string, string?> OnDisks(string database, string data, string staging, long minimumFreeBytes) => new()
    {
        ["Database:Provider"] = DatabaseOptions.Sqlite,
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(database, "keepsake.db")}",
        ["Storage:Provider"] = "filesystem",
        ["Storage:Path"] = data,
        ["Photos:StagingPath"] = staging,
        ["Photos:MinimumFreeBytes"] = minimumFreeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(ServerProcess server)
    {
        using var client = new HttpClient { BaseAddress = server.PublicAddress };
        using var response = await client.GetAsync("/healthz/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Stops the server as an orchestrator does, so it removes its own staging folder, then checks what is left.</summary>
    private static async Task StopAndCheckAftermathAsync(ServerProcess server, KeepsakeApp app, string staging)
    {
        server.Terminate();
        await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Aftermath.AssertNoScratchFolders(staging);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    [Fact]
    public async Task An_upload_onto_a_full_data_disk_answers_507_logs_an_error_counts_the_fault_and_stores_nothing()
    {
        using var disks = new TemporaryFolder();
        using var data = SmallDisk.Mount(8 * MB);
        var staging = Directory.CreateDirectory(Path.Combine(disks.Path, "staging")).FullName;
        // No margin: the write itself meets the full disk.
        using var app = new KeepsakeApp(OnDisks(disks.Path, data.Path, staging, minimumFreeBytes: 0));
        await using var server = await ServerProcess.StartAsync(app);
        var owner = await server.SetUpOwnerAsync();
        var filler = data.Fill(leaveFreeBytes: 16 * 1024);

        var response = await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

        var problem = await response.AssertProblemAsync(InsufficientStorage);
        Assert.Equal("Server out of space", problem.Title);
        Assert.Contains(server.Lines, line => line.Contains("\"level\":\"Error\"", StringComparison.Ordinal) && line.Contains("disk is full", StringComparison.Ordinal));
        using var management = server.CreateManagementClient();
        var metrics = await management.GetStringAsync("/metrics");
        Assert.Matches("keepsake_storage_faults_total\\{[^}]*error_type=\"no_space\"[^}]*\\} 1", metrics);
        Assert.Equal(0, Exposition.Sample(metrics, "keepsake_upload_failures_total", "error_type=\"malformed\""));
        Assert.DoesNotContain(Directory.EnumerateFiles(data.Path, "*", SearchOption.AllDirectories), file => !file.StartsWith(filler, StringComparison.Ordinal) && !file.Contains("/ledger/", StringComparison.Ordinal));

        File.Delete(filler);
        Assert.Equal(HttpStatusCode.Created, (await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"))).StatusCode);
        await StopAndCheckAftermathAsync(server, app, staging);
    }

    [Fact]
    public async Task Readiness_is_503_while_the_data_disk_is_below_the_free_space_margin_and_recovers_by_itself()
    {
        using var disks = new TemporaryFolder();
        using var data = SmallDisk.Mount(8 * MB);
        var staging = Directory.CreateDirectory(Path.Combine(disks.Path, "staging")).FullName;
        using var app = new KeepsakeApp(OnDisks(disks.Path, data.Path, staging, minimumFreeBytes: 2 * MB));
        await using var server = await ServerProcess.StartAsync(app);
        var owner = await server.SetUpOwnerAsync();
        var filler = data.Fill(leaveFreeBytes: 1 * MB);

        var (status, body) = await ReadinessAsync(server);
        var upload = await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("the data folder", body, StringComparison.Ordinal);
        Assert.Contains("Photos:MinimumFreeBytes", body, StringComparison.Ordinal);
        await upload.AssertProblemAsync(InsufficientStorage);

        File.Delete(filler);
        Assert.Equal(HttpStatusCode.OK, (await ReadinessAsync(server)).Status);
        await StopAndCheckAftermathAsync(server, app, staging);
    }

    [Fact]
    public async Task A_data_folder_that_turns_read_only_answers_503_and_is_not_ready_until_it_is_writable_again()
    {
        using var disks = new TemporaryFolder();
        using var data = SmallDisk.Mount(16 * MB);
        var staging = Directory.CreateDirectory(Path.Combine(disks.Path, "staging")).FullName;
        using var app = new KeepsakeApp(OnDisks(disks.Path, data.Path, staging, minimumFreeBytes: 0));
        await using var server = await ServerProcess.StartAsync(app);
        var owner = await server.SetUpOwnerAsync();

        data.MakeReadOnly();
        var upload = await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var (status, body) = await ReadinessAsync(server);
        data.MakeWritable();

        Assert.True(upload.StatusCode == HttpStatusCode.ServiceUnavailable, server.Output);
        var problem = await upload.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Server storage unavailable", problem.Title);
        Assert.NotNull(upload.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(data.Path, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ReadinessAsync(server)).Status);
        Assert.Equal(HttpStatusCode.Created, (await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"))).StatusCode);
        await StopAndCheckAftermathAsync(server, app, staging);
    }

    [Fact]
    public async Task The_server_refuses_to_start_on_a_read_only_database_with_one_clear_line()
    {
        using var disks = new TemporaryFolder();
        using var database = SmallDisk.Mount(16 * MB);
        var data = Directory.CreateDirectory(Path.Combine(disks.Path, "data")).FullName;
        var staging = Directory.CreateDirectory(Path.Combine(disks.Path, "staging")).FullName;
        using var app = new KeepsakeApp(OnDisks(database.Path, data, staging, minimumFreeBytes: 0));
        await using (var first = await ServerProcess.StartAsync(app))
        {
            await first.SetUpOwnerAsync();
            first.Terminate();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        database.MakeReadOnly();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(app));
        database.MakeWritable();

        Assert.Contains("keepsake exited with 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("keepsake cannot start: Database:ConnectionString: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("read-only", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Message, StringComparison.Ordinal);
        await using var again = await ServerProcess.StartAsync(app);
        Assert.Equal(HttpStatusCode.Created, (await (await again.LoginAsync()).PostAsJsonAsync("/api/albums", new { name = "Holidays" })).StatusCode);
        await StopAndCheckAftermathAsync(again, app, staging);
    }
}
