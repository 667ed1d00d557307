using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.E2E.Infrastructure;

/// <summary>
/// A real <c>keepsake</c> server process on a free loopback port, with its own SQLite file and data
/// folder in a temporary folder; killed and cleaned up on dispose.
/// </summary>
public sealed class KeepsakeProcess : IAsyncDisposable
{
    /// <summary>How many of the server's last log lines are kept for the test's output.</summary>
    private const int KeptLogLines = 100;

    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _log = new();

    private KeepsakeProcess(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server's SQLite file, for a test that seeds rows faster than uploads could.</summary>
    public string DatabasePath => Path.Combine(_folder, "keepsake.db");

    /// <summary>The server's data folder (originals, thumbnails, previews).</summary>
    public string DataPath => Path.Combine(_folder, "data");

    /// <summary>Starts a server; <paramref name="settings"/> are more settings, e.g. <c>Weather:Enabled</c>.</summary>
    public static async Task<KeepsakeProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "keepsake-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.Unused()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "keepsake.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString().TrimEnd('/'));
        start.Environment["KEEPSAKE_Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "keepsake.db")}";
        start.Environment["KEEPSAKE_Storage__Path"] = Path.Combine(folder, "data");
        // Not the default management port (9464), which another server on this machine may hold.
        start.Environment["KEEPSAKE_Management__Port"] = LoopbackPorts.Unused().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment["KEEPSAKE_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start)!;
        var server = new KeepsakeProcess(process, folder, address);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            // A server that never became ready is stopped too, not left running after the test.
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"keepsake exited with code {_process.ExitCode} before it was ready.");
            }
            try
            {
                if ((await client.GetAsync(new Uri(Address, "/healthz/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("keepsake was not ready within 60 seconds.");
    }

    /// <summary>Keeps a line the server wrote (warnings and errors only: it logs at Warning), dropping the oldest past <see cref="KeptLogLines"/>.</summary>
    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        _log.Enqueue(line);
        while (_log.Count > KeptLogLines && _log.TryDequeue(out _))
        {
        }
    }

    /// <summary>Stops the server; what it logged goes to the test's output, so a failed journey shows the server's side too.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        foreach (var line in _log)
        {
            Console.WriteLine($"server: {line}");
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder eventually.
        }
    }
}
