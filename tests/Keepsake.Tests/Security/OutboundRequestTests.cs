using System.Collections.Concurrent;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Weather;
using Keepsake.Weather;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keepsake.Tests.Security;

/// <summary>
/// Requests the server makes itself (the weather provider's) cannot be steered elsewhere: no redirect is followed,
/// no private, loopback or link-local address is connected to unless its network is allowed, answers are capped.
/// The client is the server's own, wired as it runs; the other end is a real HTTP server on loopback.
/// </summary>
public sealed class OutboundRequestTests
{
    private static readonly PlaceDay Split = new(439, 155, new DateOnly(2020, 9, 2));

    [Fact]
    public async Task The_weather_client_does_not_follow_a_redirect_to_another_host()
    {
        await using var elsewhere = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("{}"));
        await using var provider = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Redirect($"http://localhost:{elsewhere.Port}/v1/archive{context.Request.QueryString}");
            return Task.CompletedTask;
        });
        using var app = new KeepsakeApp(Settings(provider.BaseUrl, allowLoopback: true));

        var result = await app.Services.GetRequiredService<OpenMeteoClient>().FetchAsync(Split, CancellationToken.None);

        Assert.Equal(FetchOutcome.Rejected, result.Outcome);
        // An attempt slower than its timeout on a busy machine is retried, to the provider again; never to the host it points to.
        Assert.NotEmpty(provider.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task The_weather_client_does_not_connect_to_a_loopback_address_unless_its_network_is_allowed(string host)
    {
        await using var provider = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("{}"));
        using var app = new KeepsakeApp(Settings(provider.BaseUrl.Replace("127.0.0.1", host, StringComparison.Ordinal), allowLoopback: false));

        var result = await app.Services.GetRequiredService<OpenMeteoClient>().FetchAsync(Split, CancellationToken.None);

        Assert.Equal(FetchOutcome.Unreachable, result.Outcome);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task An_answer_past_the_size_cap_is_not_read_to_its_end()
    {
        // A valid answer, padded with whitespace (still valid JSON) to 2 MB: only the cap keeps it out.
        var hours = Enumerable.Range(0, 24).ToList();
        var numbers = string.Join(",", hours.Select(h => (h + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var answer = "{\"utc_offset_seconds\":0,\"hourly\":{\"time\":[" + string.Join(",", hours.Select(h => $"\"2020-09-02T{h:00}:00\"")) + "],"
            + string.Join(",", OpenMeteoClient.HourlyVariables.Split(',').Select(v => $"\"{v}\":[{numbers}]")) + "}}" + new string(' ', 2_000_000);
        await using var provider = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(answer);
        });
        var capped = Settings(provider.BaseUrl, allowLoopback: true);
        capped["Outbound:MaxResponseBytes"] = "1000000";
        using var app = new KeepsakeApp(capped);
        using var uncapped = new KeepsakeApp(Settings(provider.BaseUrl, allowLoopback: true));

        var result = await app.Services.GetRequiredService<OpenMeteoClient>().FetchAsync(Split, CancellationToken.None);
        var control = await uncapped.Services.GetRequiredService<OpenMeteoClient>().FetchAsync(Split, CancellationToken.None);

        Assert.NotEqual(FetchOutcome.Stored, result.Outcome);
        Assert.Empty(result.Hours);
        Assert.Equal(FetchOutcome.Stored, control.Outcome);
    }

    private static Dictionary<string, string?> Settings(string baseUrl, bool allowLoopback)
    {
        var settings = WeatherTestKit.WeatherOn(baseUrl);
        settings["Weather:MaxRetries"] = "1";
        settings.Remove("Outbound:AllowedNetworks:0");
        if (allowLoopback)
        {
            settings["Outbound:AllowedNetworks:0"] = "127.0.0.0/8";
            settings["Outbound:AllowedNetworks:1"] = "::1/128";
        }
        return settings;
    }

    /// <summary>A real HTTP server on a loopback port that answers every request with <c>answer</c> and records it.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _requests = new();

        private LoopbackServer(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public string BaseUrl => $"http://127.0.0.1:{Port}/v1/archive";

        public IReadOnlyList<string> Requests => [.. _requests];

        public static async Task<LoopbackServer> StartAsync(RequestDelegate answer)
        {
            var port = LoopbackPorts.Unused();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}", $"http://[::1]:{port}");
            var app = builder.Build();
            var server = new LoopbackServer(app, port);
            app.Run(context =>
            {
                server._requests.Enqueue(context.Request.Path + context.Request.QueryString);
                return answer(context);
            });
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
