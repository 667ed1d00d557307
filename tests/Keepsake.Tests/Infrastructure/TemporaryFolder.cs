namespace Keepsake.Tests.Infrastructure;

/// <summary>A folder of its own for one test's data, deleted afterwards.</summary>
public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keepsake-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Every file below the folder, as paths relative to it with '/' separators.</summary>
    public IReadOnlyList<string> Files(string subfolder = "") =>
        Directory.Exists(System.IO.Path.Combine(Path, subfolder))
            ? Directory.EnumerateFiles(System.IO.Path.Combine(Path, subfolder), "*", SearchOption.AllDirectories)
                .Select(f => System.IO.Path.GetRelativePath(Path, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that has not quite let go of a file; the OS cleans the temp folder eventually.
        }
    }
}
