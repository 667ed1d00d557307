using System.Diagnostics;
using System.Globalization;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A tmpfs of a few megabytes mounted on a folder of its own: a disk a test can fill. Mounting needs root, as the tests
/// run in CI; the disk is unmounted (lazily, so a file still open cannot make it fail) and its folder removed on dispose.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private SmallDisk(long bytes)
    {
        Path = System.IO.Path.Combine(_folder.Path, "disk");
        Directory.CreateDirectory(Path);
        Run("mount", "-t", "tmpfs", "-o", $"size={bytes.ToString(CultureInfo.InvariantCulture)},mode=0700", "tmpfs", Path);
    }

    public string Path { get; }

    public static SmallDisk Mount(long bytes)
    {
        Assert.True(Environment.UserName == "root", "A small disk is a tmpfs mount, which needs root (CI runs the tests as root).");
        return new SmallDisk(bytes);
    }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Takes all but <paramref name="leaveFreeBytes"/> of the free space with a file outside every folder Keepsake reads; returns the
    /// file, whose deletion frees the space again.</summary>
    public string Fill(long leaveFreeBytes)
    {
        var filler = System.IO.Path.Combine(Path, "filler-" + Guid.NewGuid().ToString("N"));
        using var file = new FileStream(filler, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, PreallocationSize = FreeBytes - leaveFreeBytes });
        return filler;
    }

    /// <summary>Remounts the disk read-only, as the kernel does after an I/O error (refused while a file on it is open for writing).</summary>
    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void MakeWritable() => Run("mount", "-o", "remount,rw", Path);

    public void Dispose()
    {
        Run("umount", "--lazy", Path);
        _folder.Dispose();
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {error}");
    }
}
