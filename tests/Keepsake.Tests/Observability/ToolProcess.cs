using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Keepsake.Tests.Observability;

/// <summary>
/// A server from the machine (Prometheus, Alertmanager, an SMTP server on node) run by a test on a loopback port: its
/// output kept for failure messages, killed on dispose.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ToolProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public string Output => $"--- {Name} ---\n" + string.Join('\n', _lines);

    /// <summary>Starts <paramref name="command"/> and returns once something accepts connections on <paramref name="port"/>.</summary>
    public static async Task<ToolProcess> StartAsync(string name, int port, string command, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{command} is not installed; scripts/test.sh installs it ({e.Message}).", e);
        }
        var tool = new ToolProcess(name, process, port);
        process.OutputDataReceived += (_, line) => tool.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => tool.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await tool.WaitUntilListeningAsync();
        }
        catch
        {
            await tool.DisposeAsync();
            throw;
        }
        return tool;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                // The exit can be seen before the last lines are read: waiting reads the output to its end.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it listened:\n{Output}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{Name} did not listen on {Port} within 30 s:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
