using System.CommandLine;
using System.Globalization;
using Keepsake.Backups.Photos;

namespace Keepsake.Cli;

/// <summary>
/// The <c>--photos [--sample N%]</c> half of <c>keepsake backup verify</c>: every bad copy named on stderr with the photos
/// that hold its content, then one summary line. Exits 1 when any copy is bad, 2 when there is no target or it cannot be read.
/// </summary>
internal static class PhotoVerifyCommand
{
    public static Option<bool> PhotosOption() => new("--photos")
    {
        Description = "Verify the photo copies (Backups:Photos) instead of, or with, a database backup: re-read each copy and check its SHA-256. " +
            "A missing or corrupt copy is named and forgotten, so the next 'keepsake backup photos' copies it again.",
    };

    public static Option<string> SampleOption() => new("--sample")
    {
        Description = "With --photos: read only a random share of the copies, e.g. 10% (above 0, at most 100).",
        HelpName = "N%",
    };

    /// <summary>The share of copies <c>--sample</c> asks for (100 without it), or why the value cannot be one.</summary>
    public static string? ReadSample(string? value, out double percent)
    {
        percent = 100;
        if (value is null)
        {
            return null;
        }
        var number = value.EndsWith('%') ? value[..^1] : value;
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out percent) && percent > 0 && percent <= 100)
        {
            return null;
        }
        return $"--sample '{value}' is not a share of the copies: give a percentage above 0 and at most 100, such as --sample 10%.";
    }

    public static async Task<int> RunAsync(CliHost cli, IServiceProvider services, double samplePercent, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var (result, exitCode) = await PhotoBackupCommand.OnTargetAsync(cli, "Verifying photo copies",
            progress => scope.ServiceProvider.GetRequiredService<PhotoCopyVerifier>().RunAsync(samplePercent, progress, cancellationToken));
        if (result is null)
        {
            return exitCode;
        }
        foreach (var bad in result.Bad)
        {
            var holders = bad.HeldBy.Count == 0 ? "held by no photo" : "held by photo " + string.Join(", photo ", bad.HeldBy);
            var next = bad.Problem == CopyProblem.Unreadable ? "read again next time" : "no longer recorded as copied: the next 'keepsake backup photos' copies it again";
            cli.Terminal.Error($"sha256 {bad.Sha256}: {bad.Detail}; {holders}; {next}");
        }
        var sample = samplePercent < 100 ? string.Create(CultureInfo.InvariantCulture, $" (a {samplePercent}% sample)") : "";
        cli.Terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"photo copies: checked {result.Checked} of {result.Recorded}{sample} ({result.CheckedBytes} bytes), good {result.Checked - result.Bad.Count}, " +
            $"missing {Count(result, CopyProblem.Missing)}, corrupt {Count(result, CopyProblem.Corrupt)}, unreadable {Count(result, CopyProblem.Unreadable)}"));
        return result.Succeeded ? ExitCodes.Done : ExitCodes.SomeFailed;
    }

    private static int Count(PhotoCopyVerificationResult result, CopyProblem problem) => result.Bad.Count(b => b.Problem == problem);
}
