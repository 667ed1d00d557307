using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Keepsake.Accounts;
using Keepsake.Tests.Backups;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Observability;

/// <summary>
/// One server process for the class (metrics are process-wide, so not an app in the test process), with a short session
/// run once at its start; each test reads that session's counts from the scrape taken right after it, or counts what it
/// does itself from a scrape before and after.
/// </summary>
public sealed partial class MetricsTests(MetricsTests.Server server) : IClassFixture<MetricsTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        private static readonly Dictionary<string, string?> QuickStatistics = new()
        {
            ["Management:StatisticsInterval"] = "00:00:01",
            ["Management:BackupStatisticsInterval"] = "00:00:01",
        };

        public KeepsakeApp App { get; } = new();

        public ServerProcess Process { get; private set; } = null!;

        /// <summary>The exposition right after the short session.</summary>
        public string AfterSession { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Process = await ServerProcess.StartAsync(App, QuickStatistics);
            await RunShortSessionAsync(Process);
            using var management = Process.CreateManagementClient();
            AfterSession = await management.GetStringAsync("/metrics");
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            App.Dispose();
        }
    }

    [Fact]
    public async Task Every_name_the_alert_rules_and_the_dashboard_read_is_exposed_after_a_short_session()
    {
        var verify = await CliRunner.RunAsync(server.App, $"backup verify {await BackupTestKit.CreateBackupAsync(server.App)}");
        Assert.True(verify.ExitCode == 0, BackupTestKit.Describe(verify));

        var expected = MonitoringFiles.NamesKeepsakeMustExpose();
        var exposed = Names(await ScrapeUntilAsync(server.Process, text => expected.All(Names(text).Contains)));

        var missing = expected.Where(n => !exposed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Named in deploy/monitoring but not exposed at /metrics: " + string.Join(", ", missing));
        Assert.Contains("keepsake_uploads_total", expected);
        Assert.Contains("keepsake_upload_failures_total", expected);
    }

    [Fact]
    public void Uploads_and_refusals_are_counted_by_result_and_reason()
    {
        var text = server.AfterSession;

        Assert.Equal(1, Sample(text, "keepsake_uploads_total", "keepsake_upload_result=\"stored\""));
        Assert.Equal(1, Sample(text, "keepsake_upload_failures_total", "error_type=\"unsupported_format\""));
        Assert.Equal(new FileInfo(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg")).Length, Sample(text, "keepsake_upload_size_bytes_total", ""));
        Assert.Equal(1, Sample(text, "keepsake_thumbnail_duration_seconds_count", "keepsake_photo_format=\"jpeg\""));
    }

    [Fact]
    public async Task The_backup_gauges_tell_when_the_newest_backup_and_the_newest_verified_backup_were_taken()
    {
        var verifiedId = await BackupTestKit.CreateBackupAsync(server.App);
        var verify = await CliRunner.RunAsync(server.App, $"backup verify {verifiedId}");
        Assert.True(verify.ExitCode == 0, BackupTestKit.Describe(verify));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var newestId = await BackupTestKit.CreateBackupAsync(server.App);

        var exposition = await ScrapeUntilAsync(server.Process, text => Sample(text, "keepsake_backup_last_verified_timestamp_seconds", "") == TakenAt(verifiedId)
            && Sample(text, "keepsake_backup_last_success_timestamp_seconds", "") == TakenAt(newestId));

        Assert.Equal(TakenAt(newestId), Sample(exposition, "keepsake_backup_last_success_timestamp_seconds", ""));
        Assert.Equal(TakenAt(verifiedId), Sample(exposition, "keepsake_backup_last_verified_timestamp_seconds", ""));
    }

    /// <summary>A backup id starts with the second it was taken: <c>20261123T172353Z-d0f4bc</c>.</summary>
    private static long TakenAt(string backupId) =>
        DateTimeOffset.ParseExact(backupId[..16], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds();

    [Fact]
    public async Task Share_link_lookups_are_counted_as_cache_hits_with_Redis_and_as_misses_without()
    {
        using var owner = server.Process.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/auth/login", new CredentialsDto(OwnerEmail, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("no-exif-casio.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        using var visitor = new HttpClient { BaseAddress = server.Process.PublicAddress };
        using var management = server.Process.CreateManagementClient();
        var before = await management.GetStringAsync("/metrics");
        for (var visit = 0; visit < 3; visit++)
        {
            await (await visitor.GetAsync($"/api/s/{share.Token}/")).EnsureSuccessAsync();
        }

        // The exporter answers a scrape soon after another from its cache: wait for one that has seen the visits.
        var after = await ScrapeUntilAsync(server.Process, text => Counted(before, text, "keepsake_cache_requests_total", "keepsake_cache_result=\"miss\"") > 0);
        var hits = Counted(before, after, "keepsake_cache_requests_total", "keepsake_cache_result=\"hit\"");
        var misses = Counted(before, after, "keepsake_cache_requests_total", "keepsake_cache_result=\"miss\"");

        // The first visit fills Redis; without Redis nothing is cached and every visit asks the database.
        Assert.Equal(KeepsakeApp.OnScaleStack ? (1, 2) : (3, double.NaN), (misses, hits));
    }

    [Fact]
    public async Task Metrics_are_served_on_the_management_port_only_and_it_serves_nothing_else()
    {
        using var visitor = new HttpClient { BaseAddress = server.Process.PublicAddress };
        using var management = server.Process.CreateManagementClient();

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/api/setup")).StatusCode);
        var metrics = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    private const string OwnerEmail = "owner@example.com";

    /// <summary>Setup, one photo stored, one refused (not a photo), the timeline and a thumbnail viewed, a user created and erased.</summary>
    private static async Task RunShortSessionAsync(ServerProcess server)
    {
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto(OwnerEmail, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        using var notAPhoto = new MultipartFormDataContent();
        var text = new ByteArrayContent("shopping list"u8.ToArray());
        text.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        notAPhoto.Add(text, "files", "list.txt");
        await (await owner.PostAsync("/api/photos", notAPhoto)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await owner.GetAsync("/api/photos")).EnsureSuccessAsync();
        await (await owner.GetAsync($"/api/photos/{photo.Id}/thumbnail")).EnsureSuccessAsync();
        var leaver = await (await owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto("leaver@example.com", KeepsakeApp.DefaultPassword, false))).ReadAsync<UserDto>();
        await (await owner.DeleteAsync($"/api/admin/users/{leaver.Id}")).EnsureSuccessAsync();
    }

    /// <summary>Gauges are counted on a timer, so scrape until the exposition is <paramref name="done"/> (or give up after a while).</summary>
    private static async Task<string> ScrapeUntilAsync(ServerProcess server, Func<string, bool> done)
    {
        using var management = server.CreateManagementClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var exposition = await management.GetStringAsync("/metrics");
            if (done(exposition) || DateTime.UtcNow > deadline)
            {
                return exposition;
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Series names and label names in the Prometheus text format.</summary>
    private static HashSet<string> Names(string exposition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            var series = SeriesLine().Match(line);
            names.Add(series.Groups["name"].Value);
            foreach (Match label in LabelName().Matches(series.Groups["labels"].Value))
            {
                names.Add(label.Groups["label"].Value);
            }
        }
        return names;
    }

    /// <summary>How much the series grew between two scrapes (NaN when it is in neither): a series not there before counts from 0.</summary>
    private static double Counted(string before, string after, string name, string label) =>
        Sample(after, name, label) - (Sample(before, name, label) is var earlier && double.IsNaN(earlier) ? 0 : earlier);

    /// <summary>The value of the series <paramref name="name"/> whose labels contain <paramref name="label"/>, or NaN when there is none.</summary>
    private static double Sample(string exposition, string name, string label)
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})?\s")]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"(?:^|,)(?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelName();
}
