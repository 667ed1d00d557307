using System.Diagnostics;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Keepsake.Weather;

namespace Keepsake.Tests.Weather;

/// <summary>Settings that turn weather on against a fake provider, with timings small enough for tests, and the steps the tests share.</summary>
public static class WeatherTestKit
{
    /// <summary>tiny-1x1-apple-iphone-xr.jpg: 43.859469, 15.503283, taken 2020-09-02 18:52:42 with no offset recorded.</summary>
    public const string CroatianPhoto = "tiny-1x1-apple-iphone-xr.jpg";

    public static Dictionary<string, string?> WeatherOn(string baseUrl) => new()
    {
        ["Weather:Enabled"] = "true",
        ["Weather:BaseUrl"] = baseUrl,
        // The fake provider is on loopback, which outbound requests may not reach unless allowed.
        ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8",
        ["Weather:PollInterval"] = "00:00:00.050",
        ["Weather:FirstBackoff"] = "00:00:00.200",
        ["Weather:MaxBackoff"] = "00:00:00.800",
        // Long enough for a first request on a busy machine (a retry would be a second request the tests count).
        ["Weather:AttemptTimeout"] = "00:00:02",
        ["Weather:RequestTimeout"] = "00:00:05",
        ["Weather:ClaimLease"] = "00:00:05",
        ["Weather:MaxRetries"] = "1",
        ["Weather:RetryDelay"] = "00:00:00.020",
        ["Weather:BreakDuration"] = "00:00:00.500",
        ["Weather:RequestsPerMinute"] = "6000",
    };

    /// <summary>The settings as the environment of a <c>keepsake</c> process.</summary>
    public static Dictionary<string, string?> AsEnvironment(IReadOnlyDictionary<string, string?> baseEnvironment, Dictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(baseEnvironment);
        foreach (var (key, value) in settings)
        {
            environment["KEEPSAKE_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        return environment;
    }

    /// <summary>Asks for the photo until its weather is there; fails after <paramref name="seconds"/>.</summary>
    public static async Task<WeatherDto> WaitForWeatherAsync(HttpClient client, Guid photoId, int seconds = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var photo = await client.GetFromJsonAsync<PhotoDetailsDto>($"/api/photos/{photoId}");
            if (photo!.Weather is { } weather)
            {
                return weather;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(seconds), $"photo {photoId} has no weather after {seconds} s");
            await Task.Delay(50);
        }
    }

    public static async Task<WeatherStatusDto> StatusAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<WeatherStatusDto>("/api/admin/weather"))!;

    /// <summary>Waits until the admin page's queue status satisfies <paramref name="condition"/>.</summary>
    public static async Task<WeatherStatusDto> WaitForStatusAsync(HttpClient admin, Func<WeatherStatusDto, bool> condition, int seconds = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await StatusAsync(admin);
            if (condition(status))
            {
                return status;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(seconds), $"the weather queue did not get there in {seconds} s: {status}");
            await Task.Delay(50);
        }
    }

    /// <summary>A copy of a test photo with another capture time (and offset), so other bytes at the same place.</summary>
    public static async Task<string> CopyTakenAtAsync(TemporaryFolder folder, string photo, string takenAt, string? offset = null)
    {
        var target = Path.Combine(folder.Path, $"{Path.GetFileNameWithoutExtension(photo)}-{takenAt.Replace(':', '-').Replace(' ', '_')}{Path.GetExtension(photo)}");
        return await ExifTool.CopyWithAsync(TestData.Photo(photo), target,
            new[] { $"-DateTimeOriginal={takenAt}" }.Concat(offset is null ? [] : [$"-OffsetTimeOriginal={offset}"]));
    }
}
