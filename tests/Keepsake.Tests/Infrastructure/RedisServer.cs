using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A throwaway Redis (<c>redis-server</c>, no persistence) on a free loopback port with its folder in the temp
/// folder. <see cref="Instance"/> is shared by the whole test run and stopped when the test process exits;
/// <see cref="Start"/> gives a test one of its own, to stop while a server uses it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const string FolderPrefix = "keepsake-redis-";

    private static readonly Lazy<RedisServer> Shared = new(() =>
    {
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;

    private RedisServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public static RedisServer Instance => Shared.Value;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string Keepsake's <c>Cache:Redis</c> takes.</summary>
    public string Configuration => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    private string PidFile => Path.Combine(_folder, "redis.pid");

    public static RedisServer Start()
    {
        RemoveLeftovers();
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        ServerOwnership.Claim(folder);
        var port = LoopbackPorts.Unused();
        var server = new RedisServer(folder, port);
        Run("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "yes", "--pidfile", server.PidFile, "--dir", folder, "--logfile", Path.Combine(folder, "redis.log")]);
        server.WaitUntilListening();
        return server;
    }

    /// <summary>Stops the server (a test can then see what a Keepsake server does without its cache).</summary>
    public void Stop()
    {
        if (ServerOwnership.ReadPid(PidFile) is { } pid)
        {
            ServerOwnership.Kill(pid, "redis-server");
        }
    }

    public void Dispose()
    {
        Stop();
        ServerOwnership.DeleteFolder(_folder);
    }

    private void WaitUntilListening()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var reply = new byte[7];
                if (stream.Read(reply) > 0 && reply[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                // Not listening yet.
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port}: {File.ReadAllText(Path.Combine(_folder, "redis.log"))}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>A daemonized Redis outlives a test process that crashed.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*").Where(ServerOwnership.IsAbandoned))
        {
            if (ServerOwnership.ReadPid(Path.Combine(folder, "redis.pid")) is { } pid)
            {
                ServerOwnership.KillLeftover(pid, "redis-server", folder);
            }
            ServerOwnership.DeleteFolder(folder);
        }
    }

    private static void Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server was not found on PATH. Run scripts/test.sh, which installs the 'redis-server' package, or install it yourself.", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-server failed to start: {error.GetAwaiter().GetResult()}");
            }
        }
    }
}
