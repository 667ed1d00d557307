using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Keepsake.Cli;

/// <summary>
/// Opens a file for an import only when it is a regular file inside the folder being imported: not a symbolic
/// link (inside or out: a file a link points to inside the folder is imported on its own), not a FIFO, device or
/// socket. On Linux the path is inspected without following links, then opened with O_NOFOLLOW | O_NONBLOCK (so a
/// FIFO swapped in meanwhile cannot block) and checked again on the open descriptor: still a regular file, and
/// really inside the folder (/proc/self/fd names what was opened, whatever links a parent folder became).
/// </summary>
internal static class RegularFile
{
    /// <summary>The open file, or null and why it was skipped.</summary>
    public static (Stream? Stream, string? SkipReason) Open(string path, string root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0
                ? (null, SymbolicLink)
                : (File.OpenRead(path), null);
        }
        if (Native.StatX(Native.CurrentDirectory, path, Native.SymlinkNoFollow, Native.TypeMask, out var before) != 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }
        if (KindOf(before.Mode) is { } notRegular)
        {
            return (null, notRegular);
        }
        var descriptor = Native.Open(path, Native.ReadOnlyNoFollowNonBlocking);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Native.TooManyLinks
                ? (null, SymbolicLink)
                : throw Failure(errno);
        }
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            if (Native.StatX(descriptor, "", Native.EmptyPath, Native.TypeMask, out var opened) != 0)
            {
                throw Failure(Marshal.GetLastPInvokeError());
            }
            if (KindOf(opened.Mode) is { } swapped)
            {
                handle.Dispose();
                return (null, swapped);
            }
            var real = new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
            var realRoot = RealPath(root);
            if (real is null || !real.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                handle.Dispose();
                return (null, "leads out of the folder");
            }
            return (new FileStream(handle, FileAccess.Read, 81920), null);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>What File.OpenRead would have thrown.</summary>
    private static Exception Failure(int errno) =>
        errno == Native.PermissionDenied ? new UnauthorizedAccessException() : new IOException(Marshal.GetPInvokeErrorMessage(errno));

    private const string SymbolicLink = "a symbolic link: only regular files are imported";

    /// <summary>Null for a regular file, else what it is, as the reason to skip it.</summary>
    private static string? KindOf(ushort mode) => (mode & Native.TypeBits) switch
    {
        Native.Regular => null,
        Native.Link => SymbolicLink,
        Native.Fifo => "a FIFO (named pipe), not a regular file",
        Native.CharacterDevice or Native.BlockDevice => "a device, not a regular file",
        Native.Socket => "a socket, not a regular file",
        _ => "not a regular file",
    };

    /// <summary>The folder with every link in its path resolved, as /proc/self/fd names an open file.</summary>
    private static string RealPath(string folder)
    {
        var descriptor = Native.Open(folder, Native.ReadOnlyDirectory);
        if (descriptor < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }
        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget ?? folder;
    }

    private static class Native
    {
        public const int CurrentDirectory = -100;
        public const int SymlinkNoFollow = 0x100;
        public const int EmptyPath = 0x1000;
        public const uint TypeMask = 0x1;
        public const int TooManyLinks = 40;
        public const int PermissionDenied = 13;

        /// <summary>O_RDONLY | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC on Linux.</summary>
        public const int ReadOnlyNoFollowNonBlocking = 0x100 | 0x800 | 0x20000 | 0x80000;

        /// <summary>O_RDONLY | O_DIRECTORY | O_CLOEXEC on Linux.</summary>
        public const int ReadOnlyDirectory = 0x10000 | 0x80000;

        public const int TypeBits = 0xF000;
        public const int Fifo = 0x1000;
        public const int CharacterDevice = 0x2000;
        public const int BlockDevice = 0x6000;
        public const int Regular = 0x8000;
        public const int Link = 0xA000;
        public const int Socket = 0xC000;

        [DllImport("libc.so.6", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Open(string path, int flags);

        /// <summary>statx(2): the same layout on every Linux architecture, unlike struct stat.</summary>
        [DllImport("libc.so.6", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int StatX(int directory, string path, int flags, uint mask, out StatXBuffer buffer);
    }

    /// <summary>The head of struct statx up to the fields read here, padded to its full 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatXBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;
    }
}
