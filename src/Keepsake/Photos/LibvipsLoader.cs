using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Keepsake.Storage;

namespace Keepsake.Photos;

/// <summary>
/// Makes NetVips bind to the system's libvips when one is installed (Debian's libvips42 decodes HEIC,
/// JPEG XL and JPEG 2000), and to the bundled build from NetVips.Native otherwise (JPEG, PNG, WebP, TIFF,
/// GIF and AVIF, with no setup). The bundled file ships outside the native probing path, so it is only
/// reached through the fallback below when the system has none.
/// </summary>
public static partial class LibvipsLoader
{
    private const string LibraryName = "libvips.so.42";

    /// <summary>
    /// The system libvips loads every plugin in its modules folder into the global symbol scope. Only
    /// these decoders are wanted: the others read formats Keepsake refuses (PDF, ImageMagick's dozens,
    /// slide scans), and OpenSlide drags in the system SQLite, whose symbols then shadow the SQLite that
    /// EF Core uses and crash it.
    /// </summary>
    private static readonly string[] WantedModules = ["vips-heif.so", "vips-jxl.so"];

    private static readonly string[] LibraryFolders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];

    private static readonly Lock Gate = new();
    private static string? _chosen;

    /// <summary>Which library NetVips uses: <c>system</c> or <c>bundled</c>.</summary>
    public static string Chosen => _chosen ?? "none";

    /// <summary>
    /// Binds NetVips to a libvips and sets it up. NetVips initialises libvips as soon as its assembly
    /// loads, which the JIT does when it compiles a method naming a NetVips type: so this method names
    /// none, and the settings live in a method that is never inlined into it.
    /// </summary>
    public static void Load()
    {
        Choose();
        Configure();
    }

    private static void Choose()
    {
        lock (Gate)
        {
            if (_chosen is not null || !OperatingSystem.IsLinux())
            {
                return;
            }
            if (NativeLibrary.TryLoad(LibraryName, out _))
            {
                _chosen = LimitSystemModules() ? "system" : "system, without its HEIF and JPEG XL modules: the temporary folder takes no folder";
                return;
            }
            var bundled = NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "libvips-bundled", LibraryName));
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += (Assembly _, string name) => name == LibraryName ? bundled : IntPtr.Zero;
            _chosen = "bundled";
        }
    }

    /// <summary>
    /// Loads libvips and runs once, on a tiny image, what most photos' render runs (JPEG decode with shrink-on-load, JPEG
    /// and WebP encode): what the first photo of an import would otherwise pay for (loading libvips and its codecs,
    /// compiling the binding's code) is paid while the verb starts, on another core when one is free. The ICC transform
    /// is left out: only photos with a profile of their own need it, and it costs more than it saves (bench/import).
    /// </summary>
    public static void WarmUp()
    {
        Load();
        RenderTinyImage();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RenderTinyImage()
    {
        using var black = NetVips.Image.Black(64, 64, bands: 3);
        var jpeg = black.WriteToBuffer(".jpg");
        using var shrunk = NetVips.Image.NewFromBuffer(jpeg, access: NetVips.Enums.Access.Sequential, kwargs: new NetVips.VOption { { "shrink", 2 } });
        using var decoded = (NetVips.Image)NetVips.Operation.Call("thumbnail_image",
            new NetVips.VOption { { "height", 16 }, { "size", NetVips.Enums.Size.Down } }, shrunk, 16);
        using var copied = decoded.CopyMemory();
        copied.WriteToBuffer(ImageProcessor.PreviewEncoding);
        using var thumbnail = copied.ThumbnailImage(8, height: 8, size: NetVips.Enums.Size.Down);
        thumbnail.WriteToBuffer(ImageProcessor.ThumbnailEncoding);
    }

    /// <summary>The name of libvips's thumbnail argument for the profile to convert to: renamed in 8.16, and the system's 8.14 knows only the old one.</summary>
    public static string ThumbnailOutputProfile => _thumbnailOutputProfile ??= OutputProfileArgument();

    private static string? _thumbnailOutputProfile;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string OutputProfileArgument() =>
        NetVips.Introspect.Get("thumbnail").OptionalInput.Keys.Any(name => name.Replace('-', '_') == "output_profile") ? "output_profile" : "export_profile";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Configure()
    {
        // Every photo is decoded once; caching operations would only hold memory.
        NetVips.Cache.Max = 0;
    }

    /// <summary>The name of the folder of module links each process makes (see <see cref="LimitSystemModules"/>).</summary>
    public const string ModulesPrefix = "keepsake-libvips-";

    /// <summary>Held for the life of the process: libvips loads modules from it whenever it wants one.</summary>
    private static ScratchFolder? _modules;

    /// <summary>
    /// libvips looks for modules in <c>$VIPSHOME/&lt;name of its library folder&gt;/vips-modules-X.Y</c>;
    /// pointing it at a folder that links only the wanted modules keeps the rest out of the process. The folder is
    /// a private scratch folder of this process's own: a folder at a known path in a shared temporary folder could
    /// be made beforehand by another user with links to modules of theirs, which libvips would then load. When the
    /// temporary folder takes no folder, libvips is pointed at none: it then reads no HEIF or JPEG XL, but never
    /// loads the modules that crash the process. Returns false then.
    /// </summary>
    private static bool LimitSystemModules()
    {
        if (Environment.GetEnvironmentVariable("VIPSHOME") is not null)
        {
            return true;
        }
        try
        {
            _modules = ScratchFolder.Create(ModulesPrefix, parent: null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that does not exist in Keepsake's own install folder, which only its installer may write.
            SetVipsHome(Path.Combine(AppContext.BaseDirectory, "libvips-without-modules"));
            return false;
        }
        var moduleFolders = LibraryFolders.Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateDirectories(folder, "vips-modules-*").Select(modules => (folder, modules)));
        foreach (var (folder, modules) in moduleFolders)
        {
            var target = Path.Combine(_modules.Path, Path.GetFileName(folder), Path.GetFileName(modules));
            Directory.CreateDirectory(target);
            foreach (var module in WantedModules.Where(module => File.Exists(Path.Combine(modules, module))))
            {
                File.CreateSymbolicLink(Path.Combine(target, module), Path.Combine(modules, module));
            }
        }
        SetVipsHome(_modules.Path);
        return true;
    }

    private static void SetVipsHome(string path)
    {
        // Environment.SetEnvironmentVariable only changes .NET's copy; libvips reads the C environment.
        if (SetEnvironment("VIPSHOME", path, 1) != 0)
        {
            throw new InvalidOperationException("Could not set VIPSHOME for libvips.");
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnvironment(string name, string value, int overwrite);
}
