using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keepsake.Tests.Weather;

/// <summary>What the fake provider does with the next requests.</summary>
public enum ProviderFault
{
    None,
    ServerError,
    TooManyRequests,
    Hang,
    MalformedJson,
}

/// <summary>One request as the provider saw it.</summary>
public sealed record ProviderRequest(string Path, string Query, IReadOnlyList<string> HeaderNames);

/// <summary>
/// Open-Meteo's historical weather API on a loopback port (real HTTP through Kestrel): <c>GET /v1/archive</c>
/// answers in the documented shape (<c>utc_offset_seconds</c>, <c>hourly_units</c>, <c>hourly</c> with a
/// <c>time</c> array and one array per variable) with values that are a known function of the hour, records
/// every request, and can be switched to a fault.
/// </summary>
public sealed class FakeOpenMeteo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ProviderRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeOpenMeteo(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/v1/archive";

    public ProviderFault Fault { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How long every answer takes, to widen the window in which two replicas could both ask.</summary>
    public TimeSpan Latency { get; set; }

    public IReadOnlyList<ProviderRequest> Requests => [.. _requests];

    /// <summary>The weather the fake reports for an hour of any place and day.</summary>
    public static double Temperature(int hour) => 10 + (hour * 0.5);

    public static int WeatherCode(int hour) => hour < 12 ? 2 : 63;

    public static double Precipitation(int hour) => hour < 12 ? 0 : 1.5;

    public static double CloudCover(int hour) => 40 + hour;

    public static double WindSpeed(int hour) => 5 + (hour * 0.25);

    /// <summary>Starts on <paramref name="port"/> (one nothing listens on yet), or on a free one.</summary>
    public static async Task<FakeOpenMeteo> StartAsync(int? port = null)
    {
        var chosen = port ?? LoopbackPorts.Unused();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{chosen}");
        var app = builder.Build();
        var fake = new FakeOpenMeteo(app, chosen);
        app.MapGet("/v1/archive", fake.AnswerAsync);
        await app.StartAsync();
        return fake;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        _requests.Enqueue(new ProviderRequest(context.Request.Path, context.Request.QueryString.Value ?? "", [.. context.Request.Headers.Keys.Order(StringComparer.Ordinal)]));
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }
        switch (Fault)
        {
            case ProviderFault.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            case ProviderFault.TooManyRequests:
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return;
            case ProviderFault.Hang:
                using (var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                return;
            case ProviderFault.MalformedJson:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"latitude\": 43.9, \"hourly\": {\"time\": [\"2020-09-02T00:00\"");
                return;
        }
        var day = DateOnly.ParseExact(context.Request.Query["start_date"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var hours = Enumerable.Range(0, 24).ToList();
        var body = new Dictionary<string, object>
        {
            ["latitude"] = double.Parse(context.Request.Query["latitude"].ToString(), CultureInfo.InvariantCulture),
            ["longitude"] = double.Parse(context.Request.Query["longitude"].ToString(), CultureInfo.InvariantCulture),
            ["generationtime_ms"] = 0.05,
            ["utc_offset_seconds"] = 0,
            ["timezone"] = "GMT",
            ["timezone_abbreviation"] = "GMT",
            ["elevation"] = 12.0,
            ["hourly_units"] = new Dictionary<string, string>
            {
                ["time"] = "iso8601",
                ["temperature_2m"] = "°C",
                ["weather_code"] = "wmo code",
                ["precipitation"] = "mm",
                ["cloud_cover"] = "%",
                ["wind_speed_10m"] = "km/h",
            },
            ["hourly"] = new Dictionary<string, object>
            {
                ["time"] = hours.Select(h => $"{day:yyyy-MM-dd}T{h:00}:00").ToList(),
                ["temperature_2m"] = hours.Select(Temperature).ToList(),
                ["weather_code"] = hours.Select(WeatherCode).ToList(),
                ["precipitation"] = hours.Select(Precipitation).ToList(),
                ["cloud_cover"] = hours.Select(CloudCover).ToList(),
                ["wind_speed_10m"] = hours.Select(WindSpeed).ToList(),
            },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
