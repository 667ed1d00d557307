using System.Diagnostics;

namespace Keepsake.Ks.Processes;

/// <summary>
/// Runs a command's invocations in order, or with <c>--dry-run</c> only prints them (standard output, one command
/// each, nothing run). A real run echoes each command on standard error and stops at the first that fails.
/// </summary>
internal sealed class Runner(KsContext context, bool dryRun)
{
    public bool DryRun => dryRun;

    public async Task<int> RunAsync(IEnumerable<Invocation> plan, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            foreach (var invocation in plan)
            {
                context.Out.WriteLine(invocation.Display);
            }
            return KsExit.Done;
        }
        var background = new List<(Invocation Invocation, Task<int> Exit)>();
        try
        {
            foreach (var invocation in plan)
            {
                context.Errors.WriteLine("$ " + invocation.Display);
                if (invocation.Unless is { } check && await StartAsync(check, cancellationToken, quiet: true) == 0)
                {
                    context.Errors.WriteLine("  (there already: skipped)");
                    continue;
                }
                var exit = StartAsync(invocation, cancellationToken);
                if (invocation.Background)
                {
                    background.Add((invocation, exit));
                    continue;
                }
                if (await exit is var code and not 0)
                {
                    context.Error($"{invocation.Program} exited with {code}; the commands after it did not run");
                    return KsExit.Failed;
                }
            }
            foreach (var (invocation, exit) in background)
            {
                if (await exit is var code and not 0)
                {
                    context.Error($"{invocation.Program} {string.Join(' ', invocation.Arguments)} exited with {code}");
                    return KsExit.Failed;
                }
            }
            return KsExit.Done;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return KsExit.Interrupted;
        }
    }

    /// <summary>Runs one invocation to its end with ks's environment plus its own, and gives its exit code; <paramref name="quiet"/> discards its output.</summary>
    public async Task<int> StartAsync(Invocation invocation, CancellationToken cancellationToken, bool quiet = false)
    {
        var program = ExecutableSearch.Find(context, invocation.Program)
            ?? throw new KsException($"{invocation.Program} is not installed: 'ks bootstrap' says how to install it, 'ks tools' installs the pinned kubectl, kind, tilt and kustomize into .deps/");
        // The binary shares its terminal with the process (an exec, psql or a shell need it); a caller with writers of its own gets the output.
        var shareTerminal = context.IsProcessConsole && !quiet;
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = context.RepositoryRoot,
            UseShellExecute = false,
            RedirectStandardInput = invocation.Input is not null || !shareTerminal,
            RedirectStandardOutput = !shareTerminal,
            RedirectStandardError = !shareTerminal,
        };
        foreach (var argument in invocation.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in context.Environment.Concat(invocation.Environment))
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = shareTerminal ? Task.CompletedTask : CopyAsync(process.StandardOutput, quiet ? TextWriter.Null : context.Out);
        var errors = shareTerminal ? Task.CompletedTask : CopyAsync(process.StandardError, quiet ? TextWriter.Null : context.Errors);
        if (start.RedirectStandardInput)
        {
            await process.StandardInput.WriteAsync(invocation.Input ?? await context.In.ReadToEndAsync(cancellationToken));
            process.StandardInput.Close();
        }
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(output, errors);
        return process.ExitCode;
    }

    private static async Task CopyAsync(TextReader from, TextWriter to)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
        {
            await to.WriteAsync(buffer, 0, read);
            await to.FlushAsync();
        }
    }
}
