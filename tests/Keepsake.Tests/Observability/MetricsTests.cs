using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Keepsake.Accounts;
using Keepsake.Tests.Backups;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Observability;

public sealed partial class MetricsTests
{
    private static readonly Dictionary<string, string?> QuickStatistics = new()
    {
        ["Management:StatisticsInterval"] = "00:00:01",
        ["Management:BackupStatisticsInterval"] = "00:00:01",
    };

    [Fact]
    public async Task Every_name_the_alert_rules_and_the_dashboard_read_is_exposed_after_a_short_session()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, QuickStatistics);
        await RunShortSessionAsync(server);
        var verify = await CliRunner.RunAsync(app, $"backup verify {await BackupTestKit.CreateBackupAsync(app)}");
        Assert.True(verify.ExitCode == 0, BackupTestKit.Describe(verify));

        var expected = MonitoringFiles.NamesKeepsakeMustExpose();
        var exposed = Names(await ScrapeUntilAsync(server, text => expected.All(Names(text).Contains)));

        var missing = expected.Where(n => !exposed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Named in deploy/monitoring but not exposed at /metrics: " + string.Join(", ", missing));
        Assert.Contains("keepsake_uploads_total", expected);
        Assert.Contains("keepsake_upload_failures_total", expected);
    }

    [Fact]
    public async Task Uploads_and_refusals_are_counted_by_result_and_reason()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, QuickStatistics);
        await RunShortSessionAsync(server);

        using var management = server.CreateManagementClient();
        var text = await management.GetStringAsync("/metrics");

        Assert.Equal(1, Sample(text, "keepsake_uploads_total", "keepsake_upload_result=\"stored\""));
        Assert.Equal(1, Sample(text, "keepsake_upload_failures_total", "error_type=\"unsupported_format\""));
        Assert.Equal(new FileInfo(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg")).Length, Sample(text, "keepsake_upload_size_bytes_total", ""));
        Assert.Equal(1, Sample(text, "keepsake_thumbnail_duration_seconds_count", "keepsake_photo_format=\"jpeg\""));
    }

    [Fact]
    public async Task The_backup_gauges_tell_when_the_newest_backup_and_the_newest_verified_backup_were_taken()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, QuickStatistics);
        await RunShortSessionAsync(server);
        var verifiedId = await BackupTestKit.CreateBackupAsync(app);
        var verify = await CliRunner.RunAsync(app, $"backup verify {verifiedId}");
        Assert.True(verify.ExitCode == 0, BackupTestKit.Describe(verify));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var newestId = await BackupTestKit.CreateBackupAsync(app);

        var exposition = await ScrapeUntilAsync(server, text => text.Contains("keepsake_backup_last_verified_timestamp_seconds{", StringComparison.Ordinal)
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
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app);
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));
        var album = await owner.CreateAlbumAsync();
        await owner.AddToAlbumAsync(album.Id, photo.Id);
        var share = await owner.ShareAsync(album.Id);
        using var visitor = new HttpClient { BaseAddress = server.PublicAddress };
        for (var visit = 0; visit < 3; visit++)
        {
            await (await visitor.GetAsync($"/api/s/{share.Token}/")).EnsureSuccessAsync();
        }

        using var management = server.CreateManagementClient();
        var text = await management.GetStringAsync("/metrics");
        var hits = Sample(text, "keepsake_cache_requests_total", "keepsake_cache_result=\"hit\"");
        var misses = Sample(text, "keepsake_cache_requests_total", "keepsake_cache_result=\"miss\"");

        // The first visit fills Redis; without Redis nothing is cached and every visit asks the database.
        Assert.Equal(KeepsakeApp.OnScaleStack ? (1, 2) : (3, double.NaN), (misses, hits));
    }

    [Fact]
    public async Task Metrics_are_served_on_the_management_port_only_and_it_serves_nothing_else()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app);
        using var visitor = new HttpClient { BaseAddress = server.PublicAddress };
        using var management = server.CreateManagementClient();

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/api/setup")).StatusCode);
        var metrics = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    /// <summary>Setup, one photo stored, one refused (not a photo), the timeline and a thumbnail viewed, a user created and erased.</summary>
    private static async Task RunShortSessionAsync(ServerProcess server)
    {
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
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
