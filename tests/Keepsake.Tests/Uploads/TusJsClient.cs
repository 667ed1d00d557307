using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Keepsake.Accounts;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Uploads;

/// <summary>
/// The real tus-js-client (npm, 4.3.1, installed by scripts/test.sh under <c>$KEEPSAKE_TEST_TOOLS</c>) uploading one
/// file through node, signed in with a browser's session cookie and antiforgery header. Each line it prints is an event.
/// </summary>
internal sealed class TusJsClient : IAsyncDisposable
{
    private static readonly string Script = Path.Combine(TestData.RepositoryRoot, "tests", "Keepsake.Tests", "Uploads", "tus-client.mjs");

    private readonly Process _process;
    private readonly BlockingCollection<JsonElement> _events = [];
    private readonly ConcurrentQueue<string> _lines = new();

    private TusJsClient(Process process) => _process = process;

    /// <summary>Everything the client printed, for failure messages.</summary>
    public string Transcript => string.Join('\n', _lines);

    /// <summary>
    /// Starts an upload of <paramref name="file"/> to <paramref name="endpoint"/> as the user signed in on <paramref name="cookies"/>.
    /// With <paramref name="holdAtOffset"/>, the first PATCH from that offset on waits for <see cref="Release"/> (see <see cref="WaitUntilHeld"/>).
    /// </summary>
    public static async Task<TusJsClient> StartAsync(Uri server, CookieContainer cookies, Uri endpoint, string file, long? chunkSize, long? holdAtOffset = null)
    {
        var installed = Path.Combine(S3Server.ToolsFolder, "node_modules", "tus-js-client", "package.json");
        Assert.True(File.Exists(installed), $"tus-js-client is not installed at {installed}. Run scripts/test.sh once (it installs tus-js-client@4.3.1 under $KEEPSAKE_TEST_TOOLS).");
        using var browser = BrowserClients.CreateBrowserClient(server, cookies);
        var token = await (await browser.GetAsync("/api/antiforgery")).ReadAsync<AntiforgeryTokenDto>();
        var options = new
        {
            endpoint = endpoint.ToString(),
            file,
            chunkSize,
            holdAtOffset,
            cookie = cookies.GetCookieHeader(server),
            xsrfHeader = token.HeaderName,
            xsrfToken = token.Token,
            metadata = new { filename = Path.GetFileName(file) },
        };
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(JsonSerializer.Serialize(options));
        start.Environment["KEEPSAKE_TEST_TOOLS"] = S3Server.ToolsFolder;
        var client = new TusJsClient(new Process { StartInfo = start });
        client._process.OutputDataReceived += (_, e) => client.Keep(e.Data, parse: true);
        client._process.ErrorDataReceived += (_, e) => client.Keep(e.Data, parse: false);
        client._process.Start();
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        return client;
    }

    private void Keep(string? line, bool parse)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue(line);
        if (parse && line.StartsWith('{'))
        {
            _events.Add(JsonDocument.Parse(line).RootElement);
        }
    }

    /// <summary>Events in the order printed, until one matches (returned) or the time is up.</summary>
    public JsonElement WaitFor(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            foreach (var e in _events.GetConsumingEnumerable(cancel.Token))
            {
                if (match(e))
                {
                    return e;
                }
                if (e.GetProperty("event").GetString() == "error")
                {
                    Assert.Fail("tus-js-client failed:\n" + Transcript);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.Fail($"tus-js-client did not get there within {timeout}:\n{Transcript}");
        return default;
    }

    /// <summary>Waits for the upload to succeed and returns the photo it became.</summary>
    public Guid WaitForPhoto(TimeSpan timeout)
    {
        var success = WaitFor(e => e.GetProperty("event").GetString() == "success", timeout);
        return Guid.Parse(success.GetProperty("photoId").GetString()!);
    }

    /// <summary>Waits until the client holds its PATCH at the offset it was started with, and returns that offset.</summary>
    public long WaitUntilHeld(TimeSpan timeout) =>
        long.Parse(WaitFor(e => e.GetProperty("event").GetString() == "held", timeout).GetProperty("offset").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Lets the held PATCH go.</summary>
    public void Release() => _process.StandardInput.WriteLine("go");

    /// <summary>The offsets the server answered HEAD with: where the client resumed from.</summary>
    public IReadOnlyList<long> ResumedFrom() =>
        [.. _lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "response" && e.GetProperty("method").GetString() == "HEAD" && e.GetProperty("status").GetInt32() == 200)
            .Select(e => long.Parse(e.GetProperty("offset").GetString()!, System.Globalization.CultureInfo.InvariantCulture))];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _events.Dispose();
    }
}
