using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Weather;
using Xunit.Abstractions;

namespace Keepsake.Tests.Weather;

public sealed class WeatherTests(ITestOutputHelper output)
{
    private const string Query = "&hourly=temperature_2m,weather_code,precipitation,cloud_cover,wind_speed_10m&timezone=GMT";

    [Fact]
    public async Task A_gps_photo_gets_the_weather_of_the_hour_it_was_taken_in_its_details()
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        using var app = new KeepsakeApp(WeatherTestKit.WeatherOn(provider.BaseUrl));
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(WeatherTestKit.CroatianPhoto));
        var weather = await WeatherTestKit.WaitForWeatherAsync(owner, photo.Id);

        // 18:52 on a camera with no recorded offset at 15.5° E: the sun's offset (+1 h) puts it at 17:52 UTC.
        Assert.Equal(new DateTime(2020, 9, 2, 17, 0, 0, DateTimeKind.Utc), weather.Hour);
        Assert.Equal(new MeasureDto(FakeOpenMeteo.Temperature(17), "°C"), weather.Temperature);
        Assert.Equal(63, weather.WeatherCode);
        Assert.Equal("Moderate rain", weather.Condition);
        Assert.Equal("rain", weather.Icon);
        Assert.Equal(new MeasureDto(FakeOpenMeteo.Precipitation(17), "mm"), weather.Precipitation);
        Assert.Equal(new MeasureDto(FakeOpenMeteo.CloudCover(17), "%"), weather.CloudCover);
        Assert.Equal(new MeasureDto(FakeOpenMeteo.WindSpeed(17), "km/h"), weather.Wind);
        var timeline = await owner.GetFromJsonAsync<List<PhotoWeatherDto>>($"/api/weather/photos?id={photo.Id}&id={Guid.NewGuid()}");
        Assert.Equal([new PhotoWeatherDto(photo.Id, weather)], timeline);
        Assert.Empty((await owner.GetFromJsonAsync<List<PhotoWeatherDto>>("/api/weather/photos"))!);
    }

    [Fact]
    public async Task The_provider_is_sent_only_the_rounded_place_and_the_utc_day()
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        using var app = new KeepsakeApp(WeatherTestKit.WeatherOn(provider.BaseUrl));
        var owner = await app.CreateOwnerAsync();

        // 26.586667, -80.053611 at 21:23 local on 2018-04-28; its GPS time, 01:22:57 UTC on the 29th, gives the offset (-04:00).
        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-samsung-galaxy-note5.jpg"));
        var weather = await WeatherTestKit.WaitForWeatherAsync(owner, photo.Id);

        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/archive", request.Path);
        Assert.Equal("?latitude=26.6&longitude=-80.1&start_date=2018-04-29&end_date=2018-04-29" + Query, request.Query);
        Assert.DoesNotContain(request.HeaderNames, h => h is "Cookie" or "Authorization" or "Referer" or "From");
        Assert.Equal(new DateTime(2018, 4, 29, 1, 0, 0, DateTimeKind.Utc), weather.Hour);
    }

    [Fact]
    public async Task Photos_of_one_place_and_day_cost_one_request_and_a_stored_day_is_never_asked_again()
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        using var app = new KeepsakeApp(WeatherTestKit.WeatherOn(provider.BaseUrl));
        var owner = await app.CreateOwnerAsync();
        using var copies = new TemporaryFolder();
        var morning = await WeatherTestKit.CopyTakenAtAsync(copies, WeatherTestKit.CroatianPhoto, "2020:09:02 07:10:00");
        var noon = await WeatherTestKit.CopyTakenAtAsync(copies, WeatherTestKit.CroatianPhoto, "2020:09:02 12:30:00");
        var lateWithOffset = await WeatherTestKit.CopyTakenAtAsync(copies, WeatherTestKit.CroatianPhoto, "2020:09:02 23:40:00", "+02:00");
        var evening = await WeatherTestKit.CopyTakenAtAsync(copies, WeatherTestKit.CroatianPhoto, "2020:09:02 20:05:00");

        var upload = await (await KeepsakeApp.UploadAsync(owner, TestData.Photo(WeatherTestKit.CroatianPhoto), morning, noon, lateWithOffset))
            .ReadAsync<Keepsake.Photos.UploadResponseDto>();
        var hours = new List<int>();
        foreach (var photo in upload.Photos)
        {
            hours.Add((await WeatherTestKit.WaitForWeatherAsync(owner, photo.Photo.Id)).Hour.Hour);
        }
        var later = await KeepsakeApp.UploadPhotoAsync(owner, evening);
        var laterWeather = await WeatherTestKit.WaitForWeatherAsync(owner, later.Id);

        Assert.Equal([17, 6, 11, 21], hours);
        Assert.Equal(19, laterWeather.Hour.Hour);
        Assert.Equal(FakeOpenMeteo.Temperature(19), laterWeather.Temperature!.Value);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("?latitude=43.9&longitude=15.5&start_date=2020-09-02&end_date=2020-09-02" + Query, request.Query);
        var status = await WeatherTestKit.StatusAsync(owner);
        Assert.Equal((0, 1), (status.Queued, status.StoredPlaceDays));
        output.WriteLine($"5 photos of one place and day: {provider.Requests.Count} request (one per photo without batching: 5)");
    }

    [Fact]
    public async Task With_weather_off_nothing_is_sent_and_photos_have_no_weather()
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        var settings = WeatherTestKit.WeatherOn(provider.BaseUrl);
        settings.Remove("Weather:Enabled");
        using var app = new KeepsakeApp(settings);
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(WeatherTestKit.CroatianPhoto));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var details = await owner.GetFromJsonAsync<Keepsake.Photos.PhotoDetailsDto>($"/api/photos/{photo.Id}");
        var status = await WeatherTestKit.StatusAsync(owner);
        var backfill = await CliRunner.RunAsync(WeatherTestKit.AsEnvironment(app.Environment, settings), "weather backfill");

        Assert.Null(details!.Weather);
        Assert.False(status.Enabled);
        Assert.Equal(0, status.Queued);
        Assert.Equal(2, backfill.ExitCode);
        Assert.StartsWith("error: weather is off", backfill.Error, StringComparison.Ordinal);
        Assert.Empty(provider.Requests);
    }

    [Theory]
    [InlineData(ProviderFault.ServerError, "server_error")]
    [InlineData(ProviderFault.TooManyRequests, "rate_limited")]
    [InlineData(ProviderFault.Hang, "timeout")]
    [InlineData(ProviderFault.MalformedJson, "malformed")]
    public async Task While_the_provider_fails_the_place_day_backs_off_and_its_weather_is_stored_once_it_recovers(ProviderFault fault, string outcome)
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        provider.Fault = fault;
        var settings = WeatherTestKit.WeatherOn(provider.BaseUrl);
        if (fault == ProviderFault.Hang)
        {
            settings["Weather:AttemptTimeout"] = "00:00:00.400";
        }
        using var app = new KeepsakeApp(settings);
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(WeatherTestKit.CroatianPhoto));
        var failing = await WeatherTestKit.WaitForStatusAsync(owner, s => s.Failing == 1);
        Assert.Contains(failing.LastFailure, new[] { outcome, "circuit_open" });
        await Task.Delay(TimeSpan.FromSeconds(3));
        var whileDown = provider.Requests.Count;
        var stillQueued = await WeatherTestKit.StatusAsync(owner);
        var details = await owner.GetFromJsonAsync<Keepsake.Photos.PhotoDetailsDto>($"/api/photos/{photo.Id}");
        Assert.Null(details!.Weather);
        Assert.Equal(1, stillQueued.Queued);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/healthz/live")).StatusCode);

        provider.Fault = ProviderFault.None;
        var weather = await WeatherTestKit.WaitForWeatherAsync(owner, photo.Id);

        Assert.Equal(FakeOpenMeteo.Temperature(17), weather.Temperature!.Value);
        var recovered = await WeatherTestKit.StatusAsync(owner);
        Assert.Equal((0, 0, 1), (recovered.Queued, recovered.Failing, recovered.StoredPlaceDays));
        // Backoff: a few attempts in three seconds of outage, not a request per poll (60 polls).
        Assert.InRange(whileDown, 1, 20);
        output.WriteLine($"{fault}: {whileDown} requests in the first ~3 s of the outage (polls every 50 ms), last outcome '{stillQueued.LastFailure}', {provider.Requests.Count - whileDown} more until stored");
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_provider_listens()
    {
        var port = LoopbackPorts.Unused();
        using var app = new KeepsakeApp(WeatherTestKit.WeatherOn($"http://127.0.0.1:{port}/v1/archive"));
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(WeatherTestKit.CroatianPhoto));
        var failing = await WeatherTestKit.WaitForStatusAsync(owner, s => s.Failing == 1);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using var provider = await FakeOpenMeteo.StartAsync(port);
        var weather = await WeatherTestKit.WaitForWeatherAsync(owner, photo.Id);

        Assert.Contains(failing.LastFailure, new[] { "unreachable", "circuit_open" });
        Assert.Equal(FakeOpenMeteo.Temperature(17), weather.Temperature!.Value);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task A_restart_with_a_queued_place_day_fetches_it_after_the_restart()
    {
        using var data = new SharedData();
        var unreachable = $"http://127.0.0.1:{LoopbackPorts.Unused()}/v1/archive";
        Guid photoId;
        using (var before = new KeepsakeApp(data.With(WeatherTestKit.WeatherOn(unreachable))))
        {
            var owner = await before.CreateOwnerAsync();
            photoId = (await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo(WeatherTestKit.CroatianPhoto))).Id;
            await WeatherTestKit.WaitForStatusAsync(owner, s => s.Queued == 1 && s.Failing == 1);
        }
        await using var provider = await FakeOpenMeteo.StartAsync();
        using var after = new KeepsakeApp(data.With(WeatherTestKit.WeatherOn(provider.BaseUrl)));
        var again = await after.LoginAsync("owner@example.com");

        var weather = await WeatherTestKit.WaitForWeatherAsync(again, photoId);

        Assert.Equal(FakeOpenMeteo.Temperature(17), weather.Temperature!.Value);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task Two_servers_on_one_database_ask_for_each_place_day_once()
    {
        using var data = new SharedData();
        await using var provider = await FakeOpenMeteo.StartAsync();
        provider.Latency = TimeSpan.FromMilliseconds(150);
        var settings = WeatherTestKit.WeatherOn(provider.BaseUrl);
        using var first = new KeepsakeApp(data.With(new Dictionary<string, string?>(settings)));
        var owner = await first.CreateOwnerAsync();
        using var second = new KeepsakeApp(data.With(new Dictionary<string, string?>(settings)));
        var onSecond = await second.LoginAsync("owner@example.com");
        string[] gpsPhotos = ["apple-iphone-x-orientation-6-gps.webp", "gps-apple-iphone4.jpg", "gps-fujifilm-finepix-s2pro.jpg", "gps-samsung-galaxy-note5.jpg", WeatherTestKit.CroatianPhoto];

        var upload = await (await KeepsakeApp.UploadAsync(owner, [.. gpsPhotos.Select(TestData.Photo)])).ReadAsync<Keepsake.Photos.UploadResponseDto>();
        foreach (var photo in upload.Photos)
        {
            await WeatherTestKit.WaitForWeatherAsync(onSecond, photo.Photo.Id);
        }

        Assert.True(provider.Requests.Count == 5, string.Join('\n', provider.Requests.Select(r => r.Query)));
        Assert.Equal(5, provider.Requests.Select(r => r.Query).Distinct().Count());
        output.WriteLine($"the {gpsPhotos.Length} GPS test photos: {provider.Requests.Count} requests from two servers polling every 50 ms");
    }

    [Fact]
    public async Task Backfill_queues_the_photos_already_in_one_users_library_and_fetches_their_weather()
    {
        await using var provider = await FakeOpenMeteo.StartAsync();
        var off = WeatherTestKit.WeatherOn(provider.BaseUrl);
        off["Weather:Enabled"] = "false";
        using var app = new KeepsakeApp(off);
        var owner = await app.CreateOwnerAsync();
        var other = await app.CreateUserAsync(owner, "other@example.com");
        var mine = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"));
        await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("orientation-1-landscape.jpg"));
        var theirs = await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo(WeatherTestKit.CroatianPhoto));

        var result = await CliRunner.RunAsync(WeatherTestKit.AsEnvironment(app.Environment, WeatherTestKit.WeatherOn(provider.BaseUrl)),
            "weather backfill --user owner@example.com");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("weather stored for 1 of 1 place-days", result.Lines.Last());
        Assert.Contains("[1/1] place-days stored", result.Error, StringComparison.Ordinal);
        Assert.NotNull((await owner.GetFromJsonAsync<Keepsake.Photos.PhotoDetailsDto>($"/api/photos/{mine.Id}"))!.Weather);
        Assert.Null((await other.GetFromJsonAsync<Keepsake.Photos.PhotoDetailsDto>($"/api/photos/{theirs.Id}"))!.Weather);
        Assert.Equal("?latitude=48.9&longitude=2.3&start_date=2002-08-24&end_date=2002-08-24" + Query, Assert.Single(provider.Requests).Query);
    }
}

/// <summary>A database and a blob store that outlive one app, for two app lifetimes over the same data (a restart).</summary>
internal sealed class SharedData : IDisposable
{
    private readonly TemporaryFolder _folder = new();
    private readonly Dictionary<string, string?> _settings;
    private readonly string? _postgresDatabase;

    public SharedData()
    {
        if (KeepsakeApp.OnScaleStack)
        {
            _postgresDatabase = MigratedDatabases.CreatePostgresDatabase();
            _settings = new Dictionary<string, string?>(Keepsake.Tests.Storage.S3Server.Shared.Settings(
                Task.Run(Keepsake.Tests.Storage.S3Server.Shared.CreateBucketAsync).GetAwaiter().GetResult()))
            {
                ["Database:Provider"] = "postgres",
                ["Database:ConnectionString"] = _postgresDatabase,
            };
        }
        else
        {
            _settings = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite",
                ["Database:ConnectionString"] = $"Data Source={Path.Combine(_folder.Path, "keepsake.db")}",
                ["Storage:Path"] = Path.Combine(_folder.Path, "data"),
            };
        }
    }

    public Dictionary<string, string?> With(Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }
        return settings;
    }

    public void Dispose()
    {
        if (_postgresDatabase is not null)
        {
            PostgresServer.Instance.DropDatabase(_postgresDatabase);
        }
        _folder.Dispose();
    }
}
