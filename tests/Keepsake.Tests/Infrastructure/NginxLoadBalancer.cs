using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// nginx on a free loopback port, balancing over replicas' public ports, run in a temporary folder of
/// its own (config, pid, temp files). <see cref="RouteToAsync"/> rewrites the upstream and reloads, as an
/// ingress controller does when a pod's readiness changes; a reload lets old workers finish their requests.
/// </summary>
public sealed class NginxLoadBalancer : IAsyncDisposable
{
    private readonly TemporaryFolder _folder;
    private readonly Process _process;

    private NginxLoadBalancer(int port, Process process, TemporaryFolder folder)
    {
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _process = process;
        _folder = folder;
    }

    public Uri Address { get; }

    private string ConfigFile => Path.Combine(_folder.Path, "nginx.conf");

    public static async Task<NginxLoadBalancer> StartAsync(IReadOnlyCollection<Uri> backends)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx was not found; scripts/test.sh installs the 'nginx-light' package.");
        var port = LoopbackPorts.Unused();
        var folder = new TemporaryFolder();
        WriteConfig(Path.Combine(folder.Path, "nginx.conf"), folder.Path, port, backends);
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", folder.Path, "-c", Path.Combine(folder.Path, "nginx.conf"), "-e", Path.Combine(folder.Path, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }
        var balancer = new NginxLoadBalancer(port, Process.Start(start)!, folder);
        await balancer.WaitUntilListeningAsync();
        return balancer;
    }

    /// <summary>Sends new requests to <paramref name="backends"/> only, once nginx has reloaded.</summary>
    public async Task RouteToAsync(IReadOnlyCollection<Uri> backends)
    {
        WriteConfig(ConfigFile, _folder.Path, Address.Port, backends);
        using var reload = Process.Start("kill", ["-HUP", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await reload.WaitForExitAsync();
        // nginx starts new workers on the new configuration within milliseconds; give it a moment.
        await Task.Delay(200);
    }

    public string ErrorLog => File.Exists(Path.Combine(_folder.Path, "error.log")) ? File.ReadAllText(Path.Combine(_folder.Path, "error.log")) : "";

    private static void WriteConfig(string file, string folder, int port, IReadOnlyCollection<Uri> backends)
    {
        var servers = string.Concat(backends.Select(b => $"    server 127.0.0.1:{b.Port.ToString(CultureInfo.InvariantCulture)};\n"));
        File.WriteAllText(file + ".new", $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
              access_log off;
              # A reload closes idle keep-alive connections, racing a client that reuses one; ingress-nginx
              # changes endpoints without a reload, so one connection per request keeps this drill as gentle.
              keepalive_timeout 0;
              client_max_body_size 64m;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              upstream keepsake {
            {{servers}}  }
              server {
                listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                location / {
                  proxy_pass http://keepsake;
                  proxy_set_header Host $host;
                  proxy_request_buffering off;
                }
              }
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
                await probe.ConnectAsync("127.0.0.1", Address.Port);
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
