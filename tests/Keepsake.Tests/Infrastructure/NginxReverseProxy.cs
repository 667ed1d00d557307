using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// nginx in front of one server, as Traefik or an nginx Ingress stands in front of a pod: it terminates TLS (with
/// a self-signed certificate for 127.0.0.1 made here) or serves plain http, and tells the server who the client
/// is with <c>X-Forwarded-For</c> (appending the address it sees), <c>-Proto</c> and <c>-Host</c>. Clients from
/// <see cref="CreateClient"/> connect from a loopback address of their choosing (all of 127.0.0.0/8 is local), so
/// a test has as many real client addresses as it likes.
/// </summary>
public sealed class NginxReverseProxy : IAsyncDisposable
{
    private readonly TemporaryFolder _folder;
    private readonly Process _process;
    private readonly X509Certificate2? _certificate;

    private NginxReverseProxy(Uri address, Process process, TemporaryFolder folder, X509Certificate2? certificate)
    {
        Address = address;
        _process = process;
        _folder = folder;
        _certificate = certificate;
    }

    public Uri Address { get; }

    public string ErrorLog => File.Exists(Path.Combine(_folder.Path, "error.log")) ? File.ReadAllText(Path.Combine(_folder.Path, "error.log")) : "";

    public static async Task<NginxReverseProxy> StartAsync(Uri backend, bool tls)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx was not found; scripts/test.sh installs the 'nginx-light' package.");
        var port = LoopbackPorts.Unused().ToString(CultureInfo.InvariantCulture);
        var folder = new TemporaryFolder();
        var certificate = tls ? WriteCertificate(folder.Path) : null;
        var listen = tls
            ? $"listen 127.0.0.1:{port} ssl; ssl_certificate {folder.Path}/proxy.crt; ssl_certificate_key {folder.Path}/proxy.key;"
            : $"listen 127.0.0.1:{port};";
        File.WriteAllText(Path.Combine(folder.Path, "nginx.conf"), $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{folder.Path}}/nginx.pid;
            error_log {{folder.Path}}/error.log warn;
            events { worker_connections 512; }
            http {
              access_log off;
              client_max_body_size 64m;
              client_body_temp_path {{folder.Path}}/body;
              proxy_temp_path {{folder.Path}}/proxy;
              fastcgi_temp_path {{folder.Path}}/fastcgi;
              uwsgi_temp_path {{folder.Path}}/uwsgi;
              scgi_temp_path {{folder.Path}}/scgi;
              server {
                {{listen}}
                location / {
                  proxy_pass http://127.0.0.1:{{backend.Port.ToString(CultureInfo.InvariantCulture)}};
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_set_header X-Forwarded-Host $host:$server_port;
                }
              }
            }
            """);
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", folder.Path, "-c", Path.Combine(folder.Path, "nginx.conf"), "-e", Path.Combine(folder.Path, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }
        var proxy = new NginxReverseProxy(new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}"), Process.Start(start)!, folder, certificate);
        await proxy.WaitUntilListeningAsync();
        return proxy;
    }

    /// <summary>A browser-like client (cookies, antiforgery header) connecting from <paramref name="clientAddress"/>,
    /// which trusts this proxy's certificate and no other.</summary>
    public HttpClient CreateClient(string clientAddress, CookieContainer? cookies = null)
    {
        var source = IPAddress.Parse(clientAddress);
        var sockets = new SocketsHttpHandler
        {
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    _certificate is not null && certificate is not null && certificate.GetCertHashString() == _certificate.GetCertHashString(),
            },
        };
        return new HttpClient(new BrowserClients.AntiforgeryHandler { InnerHandler = sockets }) { BaseAddress = Address };
    }

    private static X509Certificate2 WriteCertificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "proxy.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "proxy.key"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
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
        _certificate?.Dispose();
        _folder.Dispose();
    }
}
