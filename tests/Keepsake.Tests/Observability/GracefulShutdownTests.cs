using System.Net;
using System.Net.Http.Json;
using System.Text;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Observability;

[Trait(Drill.Category, Drill.Name)]
public sealed class GracefulShutdownTests
{
    /// <summary>How long the server keeps serving after SIGTERM while load balancers take it out of rotation.</summary>
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task On_SIGTERM_the_server_turns_unready_at_once_finishes_an_upload_in_flight_and_exits_0()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app, new Dictionary<string, string?> { ["Shutdown:DrainDelay"] = DrainDelay.ToString() });
        using var owner = server.CreateBrowserClient();
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        using var management = server.CreateManagementClient();
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/ready")).StatusCode);

        var upload = new SlowUpload(await File.ReadAllBytesAsync(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg")));
        var response = owner.PostAsync("/api/photos", upload);
        await upload.FirstHalfSent;
        server.Terminate();
        var signalled = DateTime.UtcNow;

        // The signal reaches the process asynchronously: look until it is unready. It must be before the drain delay
        // ends, while requests are still served, or a load balancer would still send new ones to a closing listener;
        // on a quiet machine it is within a few milliseconds, on a loaded one a request alone can take a second.
        var ready = await management.GetAsync("/healthz/ready");
        while (ready.StatusCode == HttpStatusCode.OK && DateTime.UtcNow - signalled < DrainDelay)
        {
            await Task.Delay(50);
            ready = await management.GetAsync("/healthz/ready");
        }
        var unreadyAfter = DateTime.UtcNow - signalled;
        // The listener is still open during the drain delay; the upload finishes after it, while the server stops.
        var untilDrained = DrainDelay + TimeSpan.FromSeconds(1) - unreadyAfter;
        if (untilDrained > TimeSpan.Zero)
        {
            await Task.Delay(untilDrained);
        }
        upload.SendTheRest();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.True(unreadyAfter < DrainDelay, $"Readiness turned 503 only after {unreadyAfter.TotalMilliseconds} ms, past the drain delay.");
        Assert.Equal(HttpStatusCode.Created, (await response).StatusCode);
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(app.StoredFiles(), f => f.Contains("original", StringComparison.Ordinal));
    }

    /// <summary>A multipart upload of one photo that stops half-way until the test lets it go on.</summary>
    private sealed class SlowUpload : HttpContent
    {
        private const string Boundary = "slow-upload-boundary";
        private readonly byte[] _photo;
        private readonly TaskCompletionSource _firstHalfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _goOn = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SlowUpload(byte[] photo)
        {
            _photo = photo;
            Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={Boundary}");
        }

        public Task FirstHalfSent => _firstHalfSent.Task;

        public void SendTheRest() => _goOn.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var head = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
            await stream.WriteAsync(head);
            await stream.WriteAsync(_photo.AsMemory(0, _photo.Length / 2));
            await stream.FlushAsync();
            _firstHalfSent.TrySetResult();
            await _goOn.Task;
            await stream.WriteAsync(_photo.AsMemory(_photo.Length / 2));
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
