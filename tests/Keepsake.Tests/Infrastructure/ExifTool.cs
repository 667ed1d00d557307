using System.Diagnostics;

namespace Keepsake.Tests.Infrastructure;

/// <summary>exiftool (libimage-exiftool-perl, installed by scripts/test.sh), to make fixtures with the metadata a test needs.</summary>
public static class ExifTool
{
    /// <summary>Writes a copy of <paramref name="source"/> to <paramref name="target"/> with the tags set (<c>-Tag=value</c>).</summary>
    public static async Task<string> CopyWithAsync(string source, string target, params IEnumerable<string> tags)
    {
        var start = new ProcessStartInfo("exiftool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-q" }.Concat(tags).Concat(["-o", target, source]))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "exiftool: " + error);
        return target;
    }
}
