using System.Diagnostics;

namespace Keepsake.Tests.WebDav;

/// <summary>
/// Debian's rclone (its WebDAV backend, vendor "other") run as a process against a server, configured by environment
/// variables alone as remote <c>ks:</c>: the user's e-mail and a device key, obscured as rclone keeps passwords.
/// </summary>
public sealed class Rclone(Uri server, string email, string key)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public async Task<string> RunAsync(params string[] arguments)
    {
        var (exit, output) = await RunProcessAsync(await EnvironmentAsync(), [.. arguments, "--retries", "1", "--low-level-retries", "1", "-v"]);
        Assert.True(exit == 0, $"rclone {string.Join(' ', arguments)} exited with {exit}:\n{output}");
        return output;
    }

    private async Task<Dictionary<string, string>> EnvironmentAsync()
    {
        var (exit, obscured) = await RunProcessAsync(new Dictionary<string, string>(), ["obscure", key]);
        Assert.True(exit == 0, obscured);
        return new Dictionary<string, string>
        {
            // No config file: the remote is the variables below.
            ["RCLONE_CONFIG"] = "/dev/null",
            ["RCLONE_CONFIG_KS_TYPE"] = "webdav",
            ["RCLONE_CONFIG_KS_URL"] = new Uri(server, $"/dav/{email}/").ToString(),
            ["RCLONE_CONFIG_KS_VENDOR"] = "other",
            ["RCLONE_CONFIG_KS_USER"] = email,
            ["RCLONE_CONFIG_KS_PASS"] = obscured.Trim(),
        };
    }

    private static async Task<(int Exit, string Output)> RunProcessAsync(Dictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("rclone") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
