using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// The real <c>keepsake</c> binary as an OS process of its own (a replica, or a server a test signals or
/// kills), serving on loopback ports (public and management), with its settings as KEEPSAKE_ environment
/// variables. Keeps every line the process writes, so tests can read its logs; killed on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private bool _disposed;

    private ServerProcess(Process process, Uri publicAddress, Uri managementAddress)
    {
        _process = process;
        PublicAddress = publicAddress;
        ManagementAddress = managementAddress;
    }

    public Uri PublicAddress { get; }

    public Uri ManagementAddress { get; }

    public int Id => _process.Id;

    /// <summary>Every line written to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    /// <summary>A server on the data and database of a <see cref="KeepsakeApp"/> that is never started itself;
    /// <paramref name="environment"/> sets other variables of the process as they are (e.g. <c>TMPDIR</c>);
    /// <paramref name="wrapper"/> is a command line that ends by running the one it is given (e.g. <c>setpriv</c>).</summary>
    public static Task<ServerProcess> StartAsync(
        KeepsakeApp app, IReadOnlyDictionary<string, string?>? settings = null, int? publicPort = null, IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyList<string>? wrapper = null, bool waitUntilReady = true)
    {
        var variables = new Dictionary<string, string?>(app.Environment);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            variables[VariableOf(key)] = value;
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }
        return StartAsync(app.Folder.Path, variables, publicPort, wrapper, waitUntilReady);
    }

    /// <summary>A server in <paramref name="workingDirectory"/> on the given settings (<c>Database:Provider</c> and so on).</summary>
    public static Task<ServerProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> settings, int? publicPort = null) =>
        StartAsync(workingDirectory, settings.ToDictionary(s => VariableOf(s.Key), s => s.Value), publicPort);

    /// <summary>Another build's server (an earlier release: <paramref name="binary"/> is its <c>keepsake.dll</c>) on the given settings.</summary>
    public static Task<ServerProcess> StartBuildAsync(string binary, string workingDirectory, IReadOnlyDictionary<string, string?> settings) =>
        StartAsync(workingDirectory, settings.ToDictionary(s => VariableOf(s.Key), s => s.Value), publicPort: null, binary: binary);

    /// <summary>Starts the process and returns once it is ready. <paramref name="publicPort"/> brings a replica back
    /// where a load balancer expects it; by default a free port is taken.</summary>
    private static async Task<ServerProcess> StartAsync(
        string workingDirectory, Dictionary<string, string?> environment, int? publicPort, IReadOnlyList<string>? wrapper = null, bool waitUntilReady = true,
        string? binary = null)
    {
        // An earlier release is given its address in the environment, not as an argument: before 6976ed5 any argument put
        // appsettings.json above the KEEPSAKE_ variables, so such a server ignored the database and storage it was given.
        var command = (wrapper ?? []).Concat(binary is null ? KeepsakeBinary.Command : ["dotnet", binary]).ToList();
        var publicAddress = new Uri($"http://127.0.0.1:{publicPort ?? LoopbackPorts.Unused()}");
        var managementPort = LoopbackPorts.Unused();
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments = binary is null ? ["--urls", publicAddress.ToString().TrimEnd('/')] : [];
        foreach (var argument in command.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        if (binary is not null)
        {
            start.Environment["ASPNETCORE_URLS"] = publicAddress.ToString().TrimEnd('/');
        }
        // Every process its own management (metrics) port: replicas started from one set of settings must not share one.
        start.Environment[VariableOf("Management:Port")] = managementPort.ToString(CultureInfo.InvariantCulture);
        var server = new ServerProcess(new Process { StartInfo = start }, publicAddress, new Uri($"http://127.0.0.1:{managementPort}"));
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilListeningAsync(waitUntilReady);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private static string VariableOf(string setting) => "KEEPSAKE_" + setting.Replace(":", "__", StringComparison.Ordinal);

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    /// <summary>Until <c>/healthz/ready</c> answers 200, or only until <c>/healthz/live</c> does for a server meant to start unready.</summary>
    private async Task WaitUntilListeningAsync(bool ready)
    {
        var probe = ready ? "/healthz/ready" : "/healthz/live";
        using var client = new HttpClient { BaseAddress = PublicAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (_process.HasExited)
            {
                // The exit can be seen before the last lines are read: waiting reads the output to its end.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"keepsake exited with {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                if ((await client.GetAsync(probe)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or busy starting.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("keepsake was not ready within two minutes:\n" + Output);
    }

    /// <summary>A browser-like client of the public port.</summary>
    public HttpClient CreateBrowserClient() => BrowserClients.CreateBrowserClient(PublicAddress);

    /// <summary>A browser-like client of the public port with the given cookie jar (see <see cref="BrowserClients"/>).</summary>
    public HttpClient CreateBrowserClient(CookieContainer cookies) => BrowserClients.CreateBrowserClient(PublicAddress, cookies);

    public HttpClient CreateManagementClient() => new() { BaseAddress = ManagementAddress };

    /// <summary>Runs first-run setup and returns the owner's signed-in browser client.</summary>
    public async Task<HttpClient> SetUpOwnerAsync(string email = "owner@example.com")
    {
        var client = CreateBrowserClient();
        await (await client.PostAsJsonAsync("/api/setup", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return client;
    }

    /// <summary>Signs a user in on a browser client of their own.</summary>
    public async Task<HttpClient> LoginAsync(string email = "owner@example.com")
    {
        var client = CreateBrowserClient();
        await (await client.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return client;
    }

    /// <summary>Sends SIGTERM, as Kubernetes and systemd do to stop a process.</summary>
    public void Terminate() => Signal("-TERM");

    /// <summary>Sends SIGKILL: the process gets no chance to finish anything, as in a power cut or an OOM kill.</summary>
    public void KillHard() => Signal("-KILL");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process if it still runs; disposing twice (a replica replaced, then a test's clean-up) is fine.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
