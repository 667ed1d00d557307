using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A <c>keepsake</c> verb running as a process of its own, for tests that signal or kill it mid-run: it keeps every
/// line the process writes (standard output and error apart), and <see cref="WaitForLineAsync"/> returns as soon as the
/// line that says the verb is where the test wants it arrives. Killed on dispose if it still runs.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Starts <c>keepsake {arguments}</c> on the app's settings, with <paramref name="settings"/> on top (e.g. <c>Photos:StagingPath</c>).</summary>
    public static CliProcess Start(KeepsakeApp app, string arguments, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored across exec: a test run
        // started in the background (as scripts/test.sh runs the scale stack) would hand that on, and SIGINT would never
        // reach the verb. env puts SIGINT and SIGTERM back to their defaults, as in a terminal.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = app.Folder.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        foreach (var part in KeepsakeBinary.Command)
        {
            start.ArgumentList.Add(part);
        }
        foreach (var argument in CliRunner.SplitArguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in app.Environment)
        {
            start.Environment[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.Environment["KEEPSAKE_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var cli = new CliProcess(new Process { StartInfo = start });
        cli._process.OutputDataReceived += (_, e) => cli.Keep(cli._output, e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Keep(cli._error, e.Data);
        cli._process.Start();
        cli._process.StandardInput.Close();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>What the process wrote so far, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_lock)
            {
                return $"stdout:\n{string.Join('\n', _output)}\nstderr:\n{string.Join('\n', _error)}";
            }
        }
    }

    private void Keep(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Found.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The first line (on either stream) that <paramref name="match"/> accepts, as soon as it is written; fails if the
    /// process ends or <paramref name="timeout"/> passes first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_output.Concat(_error).FirstOrDefault(match) is { } already)
            {
                return already;
            }
            _waiters.Add((match, found));
        }
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(found.Task, exited, Task.Delay(timeout));
        if (first != found.Task)
        {
            throw new InvalidOperationException(
                $"{(first == exited ? "the process ended" : $"{timeout.TotalSeconds} s passed")} before the line the test waits for\n{Transcript}");
        }
        return await found.Task;
    }

    /// <summary>Sends SIGINT (Ctrl+C at a terminal), SIGTERM (what Kubernetes and systemd send to stop) or SIGKILL (a power cut, an OOM kill).</summary>
    public void Signal(PosixSignal signal)
    {
        var number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal)),
        };
        Assert.True(Kill(_process.Id, number) == 0, $"kill({_process.Id}, {number}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL: the process gets no chance to finish or clean anything, and returns once it is gone.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end (and for all it wrote); fails after <paramref name="timeout"/>.</summary>
    public async Task<CliResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"keepsake did not end within {timeout.TotalSeconds} s\n{Transcript}");
        }
        lock (_lock)
        {
            return new CliResult(_process.ExitCode, string.Join('\n', _output), string.Join('\n', _error));
        }
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
