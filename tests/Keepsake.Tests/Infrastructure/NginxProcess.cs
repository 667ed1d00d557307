using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// nginx from Debian on a free loopback port, run from a temporary folder of its own (configuration, pid, logs,
/// temp files). The caller writes the inside of the <c>http</c> block; <see cref="ReloadAsync"/> swaps it as an
/// ingress controller does. Killed, with its folder removed, on dispose.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly TemporaryFolder _folder;
    private readonly Process _process;

    private NginxProcess(int port, TemporaryFolder folder, Process process)
    {
        Port = port;
        _folder = folder;
        _process = process;
    }

    public int Port { get; }

    /// <summary>The folder nginx runs from, for files its configuration names (certificates).</summary>
    public string Folder => _folder.Path;

    public string ErrorLog => File.Exists(Path.Combine(Folder, "error.log")) ? File.ReadAllText(Path.Combine(Folder, "error.log")) : "";

    /// <summary>Starts nginx with <paramref name="http"/>(folder, port) inside its <c>http</c> block; returns once it listens.</summary>
    public static async Task<NginxProcess> StartAsync(Func<string, int, string> http)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx was not found; scripts/test.sh installs the 'nginx-light' package.");
        var port = LoopbackPorts.Unused();
        var folder = new TemporaryFolder();
        WriteConfig(folder.Path, http(folder.Path, port));
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", folder.Path, "-c", Path.Combine(folder.Path, "nginx.conf"), "-e", Path.Combine(folder.Path, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }
        var nginx = new NginxProcess(port, folder, Process.Start(start)!);
        try
        {
            await nginx.WaitUntilListeningAsync();
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
        return nginx;
    }

    /// <summary>Rewrites the <c>http</c> block and reloads; a reload lets old workers finish their requests.</summary>
    public async Task ReloadAsync(string http)
    {
        WriteConfig(Folder, http);
        using var reload = Process.Start("kill", ["-HUP", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await reload.WaitForExitAsync();
        // nginx starts new workers on the new configuration within milliseconds; give it a moment.
        await Task.Delay(200);
    }

    private static void WriteConfig(string folder, string http)
    {
        var file = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(file + ".new", $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
              access_log off;
              client_max_body_size 64m;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
            {{http}}
            }
            """);
        File.Move(file + ".new", file, overwrite: true);
    }

    private async Task WaitUntilListeningAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}{ErrorLog}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("nginx did not listen within 20 seconds: " + ErrorLog);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _folder.Dispose();
    }
}
