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
    private readonly NginxProcess _nginx;
    private readonly X509Certificate2? _certificate;

    private NginxReverseProxy(Uri address, NginxProcess nginx, X509Certificate2? certificate)
    {
        Address = address;
        _nginx = nginx;
        _certificate = certificate;
    }

    public Uri Address { get; }

    public string ErrorLog => _nginx.ErrorLog;

    public static async Task<NginxReverseProxy> StartAsync(Uri backend, bool tls)
    {
        X509Certificate2? certificate = null;
        var nginx = await NginxProcess.StartAsync((folder, port) =>
        {
            certificate = tls ? WriteCertificate(folder) : null;
            var listen = tls
                ? $"listen 127.0.0.1:{port} ssl; ssl_certificate {folder}/proxy.crt; ssl_certificate_key {folder}/proxy.key;"
                : $"listen 127.0.0.1:{port};";
            return $$"""
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
                """;
        });
        return new NginxReverseProxy(new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{nginx.Port.ToString(CultureInfo.InvariantCulture)}"), nginx, certificate);
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

    public async ValueTask DisposeAsync()
    {
        await _nginx.DisposeAsync();
        _certificate?.Dispose();
    }
}
