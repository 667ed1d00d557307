using System.Diagnostics;
using System.Globalization;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A small disk of a test's own: a tmpfs mounted on an empty folder (the tests run as root, as CI does), which a test
/// fills, turns read-only and back. Unmounted and removed on dispose, whatever the test did.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(string path, long sizeBytes)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes},mode=0700", "tmpfs", path);
    }

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    /// <summary>Fills the disk with a file of its own until only about <paramref name="leftBytes"/> are free; returns the file.</summary>
    public string Fill(long leftBytes)
    {
        var filler = System.IO.Path.Combine(Path, $"filler-{Guid.NewGuid():N}");
        using var file = new FileStream(filler, FileMode.CreateNew);
        var chunk = new byte[64 * 1024];
        while (FreeBytes - chunk.Length >= leftBytes)
        {
            file.Write(chunk);
            file.Flush();
        }
        return filler;
    }

    public void Dispose()
    {
        // Lazily, so a process that still holds a file there cannot keep the mount.
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}"));
        }
    }
}
