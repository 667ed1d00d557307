using System.Net;
using System.Net.Sockets;

namespace Keepsake.Tests.Uploads;

/// <summary>
/// A loopback TCP proxy to a server that cuts the first connection once it has carried a given number of bytes from
/// the client: a phone losing its network half-way through an upload. The client gets a reset; the server gets the
/// bytes carried so far and then the end of the connection, as when a network drops after they arrived (a reset would
/// make its kernel discard what it had not read yet). Every connection after that one passes untouched.
/// </summary>
internal sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly long _dropAfterBytes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _dropped;

    public DroppingProxy(Uri target, long dropAfterBytes)
    {
        _target = target;
        _dropAfterBytes = dropAfterBytes;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Whether a connection was cut.</summary>
    public bool Dropped => Volatile.Read(ref _dropped) == 1;

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ForwardAsync(client));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                var up = PumpAsync(client, server, countAndDrop: true);
                var down = PumpAsync(server, client, countAndDrop: false);
                if (await Task.WhenAny(up, down) == up && await up)
                {
                    Reset(client);
                    server.Client.Shutdown(SocketShutdown.Send);
                    // The server answers or closes only once it has read every byte carried: until then the connection stays.
                    await AfterServerAnswersAsync(down);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A side went away: the connection ends.
            }
            finally
            {
                Reset(client);
                Reset(server);
            }
        }
    }

    /// <summary>Carries bytes one way until the end; true when it stopped to cut the connection.</summary>
    private async Task<bool> PumpAsync(TcpClient from, TcpClient to, bool countAndDrop)
    {
        var buffer = new byte[16 * 1024];
        long carried = 0;
        var source = from.GetStream();
        var sink = to.GetStream();
        int read;
        while ((read = await source.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (countAndDrop && _dropped == 0 && carried + read > _dropAfterBytes && Interlocked.CompareExchange(ref _dropped, 1, 0) == 0)
            {
                await sink.WriteAsync(buffer.AsMemory(0, (int)(_dropAfterBytes - carried)), _stop.Token);
                return true;
            }
            carried += read;
            await sink.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
        return false;
    }

    private static async Task AfterServerAnswersAsync(Task<bool> down)
    {
        try
        {
            await down.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The answer had nowhere to go (the client is gone), or the server never answered.
        }
    }

    /// <summary>Closes with a reset, as a lost network looks to both ends.</summary>
    private static void Reset(TcpClient client)
    {
        if (client.Client is null)
        {
            return;
        }
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
