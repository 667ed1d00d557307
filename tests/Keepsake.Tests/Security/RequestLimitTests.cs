using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Tests.Security;

/// <summary>
/// No JSON endpoint reads more than 64 KB of a body, declared or chunked, and the anonymous ones answer before
/// reading anything they need not. Against the real server process (Kestrel), whose memory the tests read.
/// </summary>
public sealed class RequestLimitTests(RequestLimitTests.Server server, ITestOutputHelper output) : IClassFixture<RequestLimitTests.Server>
{
    private const int TwentyNineMegabytes = 29 * 1024 * 1024;

    public sealed class Server : IAsyncLifetime
    {
        private readonly KeepsakeApp _app = new();

        public ServerProcess Process { get; private set; } = null!;

        public HttpClient Owner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Process = await ServerProcess.StartAsync(_app);
            Owner = Process.CreateBrowserClient();
            await (await Owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        }

        public async Task DisposeAsync()
        {
            Owner.Dispose();
            await Process.DisposeAsync();
            _app.Dispose();
        }
    }

    [Fact]
    public async Task A_29_MB_login_body_is_refused_before_it_is_read()
    {
        using var client = new HttpClient { BaseAddress = server.Process.PublicAddress };
        var body = new CountingContent(TwentyNineMegabytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = body };
        // The client waits for the server's go-ahead (100 Continue), which a server that reads nothing never gives.
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Request too large", problem.Title);
        Assert.Equal(0, body.Sent);
    }

    [Fact]
    public async Task Sixteen_concurrent_29_MB_login_bodies_leave_the_server_memory_flat()
    {
        var before = PeakMegabytes();
        using var client = new HttpClient { BaseAddress = server.Process.PublicAddress };

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            try
            {
                return (await client.PostAsync("/api/auth/login", new CountingContent(TwentyNineMegabytes))).StatusCode;
            }
            catch (HttpRequestException)
            {
                // The server answered and closed the connection while the body was still being sent.
                return HttpStatusCode.RequestEntityTooLarge;
            }
        }));

        var after = PeakMegabytes();
        output.WriteLine($"server peak RSS (VmHWM) before 16 x 29 MB login bodies: {before} MB, after: {after} MB");
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        Assert.True(after - before < 100, $"peak RSS grew from {before} MB to {after} MB");
        await (await server.Process.CreateBrowserClient().GetAsync("/api/setup")).EnsureSuccessAsync();
    }

    [Fact]
    public async Task A_chunked_json_body_past_64_KB_is_refused()
    {
        var name = new string('a', 100 * 1024);

        var album = await server.Owner.SendAsync(Chunked("/api/albums", $$"""{"name":"{{name}}"}"""));
        var login = await server.Process.CreateBrowserClient().SendAsync(Chunked("/api/auth/login", $$"""{"email":"owner@example.com","password":"{{name}}"}"""));
        var small = await server.Owner.SendAsync(Chunked("/api/albums", """{"name":"Chunked but small"}"""));

        Assert.Equal("Request too large", (await album.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Title);
        Assert.Equal("Request too large", (await login.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Title);
        await small.EnsureSuccessAsync();
        Assert.DoesNotContain(await server.Owner.ListAlbumsAsync(), a => a.Name.StartsWith("aaaa", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unlock_for_a_link_that_does_not_exist_reads_no_body()
    {
        // The client waits for the server's answer to 'Expect: 100-continue' before it sends the body; by default only a
        // second, which a busy machine can take to answer, and the body would go whatever the server said.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) };
        using var client = new HttpClient(handler) { BaseAddress = server.Process.PublicAddress };
        var body = new CountingContent(32 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/s/{ShareTokens.NewToken()}/unlock") { Content = body };
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, body.Sent);
    }

    [Fact]
    public async Task A_password_past_the_cap_is_refused_without_being_hashed()
    {
        var tooLong = new string('p', AccountsOptions.MaxPasswordLength + 1);

        var created = await server.Owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto("long@example.com", tooLong, false));
        var clock = Stopwatch.StartNew();
        var login = await server.Process.CreateBrowserClient().PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", new string('p', 60_000)));

        Assert.Equal("Password too long", (await created.AssertProblemAsync(HttpStatusCode.BadRequest)).Title);
        Assert.Equal("Login failed", (await login.AssertProblemAsync(HttpStatusCode.Unauthorized)).Title);
        output.WriteLine($"login with a 60 000 character password answered in {clock.ElapsedMilliseconds} ms");
    }

    private long PeakMegabytes() =>
        long.Parse(File.ReadLines($"/proc/{server.Process.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    private static HttpRequestMessage Chunked(string url, string json)
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    /// <summary>A JSON-typed body of <c>length</c> bytes made as it is sent, counting what went out.</summary>
    private sealed class CountingContent : HttpContent
    {
        private readonly long _length;
        private long _sent;

        public CountingContent(long length)
        {
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public long Sent => Interlocked.Read(ref _sent);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            for (long left = _length; left > 0; left -= chunk.Length)
            {
                var size = (int)Math.Min(chunk.Length, left);
                await stream.WriteAsync(chunk.AsMemory(0, size));
                Interlocked.Add(ref _sent, size);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
