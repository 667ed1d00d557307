using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Keepsake.E2E.Infrastructure;

/// <summary>
/// A map tile server on a loopback port: every <c>GET /{z}/{x}/{y}.png</c> is answered with the same small PNG (a pale
/// square with a darker edge, so the grid shows in a screenshot) and recorded. The browser never reaches the internet.
/// </summary>
public sealed class TileServerStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();

    private TileServerStub(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The template for <c>Map:TileUrl</c>.</summary>
    public string TileUrl => $"http://127.0.0.1:{Port}/{{z}}/{{x}}/{{y}}.png";

    /// <summary>The paths asked for so far, e.g. <c>/3/4/2.png</c>.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<TileServerStub> StartAsync()
    {
        var port = LoopbackPorts.Unused();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var stub = new TileServerStub(app, port);
        var tile = Tile();
        app.MapGet("/{z:int}/{x:int}/{y}", (HttpContext context) =>
        {
            stub._requests.Enqueue(context.Request.Path.Value ?? "");
            return Results.Bytes(tile, "image/png");
        });
        await app.StartAsync();
        return stub;
    }

    /// <summary>A 256 × 256 pale grey tile with a darker line along its top and left edges, so the grid shows.</summary>
    private static byte[] Tile() => PngChunks.Greyscale(256, 256, (x, y) => (byte)(x == 0 || y == 0 ? 200 : 236));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
