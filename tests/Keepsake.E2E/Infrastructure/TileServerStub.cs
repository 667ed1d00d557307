using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
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

    /// <summary>A 256 × 256 greyscale PNG, written by hand: rows of filter byte 0 and pixels, deflated, in IHDR/IDAT/IEND chunks.</summary>
    private static byte[] Tile()
    {
        const int Size = 256;
        var pixels = new byte[Size * (Size + 1)];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                pixels[(y * (Size + 1)) + 1 + x] = (byte)(x == 0 || y == 0 ? 200 : 236);
            }
        }
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(pixels);
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Size);
        header[8] = 8; // bits per sample; the zeros after it: greyscale, deflate, the one filter method, not interlaced
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", deflated.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
