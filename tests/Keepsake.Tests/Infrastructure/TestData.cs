namespace Keepsake.Tests.Infrastructure;

/// <summary>The shared test photos (<c>../shared/testdata</c> beside the repository) and their manifests.</summary>
public static class TestData
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PhotosFolder { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata", "photos"));

    public static string OddFolder { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata", "odd"));

    public static string Photo(string name) => Path.Combine(PhotosFolder, name);

    public static string Odd(string name) => Path.Combine(OddFolder, name);

    /// <summary>Rows of a <c>MANIFEST.tsv</c>, each as column name → value.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Manifest(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "MANIFEST.tsv")).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split('\t');
        return lines.Skip(1)
            .Select(line => line.Split('\t'))
            .Select(cells => (IReadOnlyDictionary<string, string>)header.Select((name, i) => (name, value: i < cells.Length ? cells[i] : ""))
                .ToDictionary(c => c.name, c => c.value))
            .ToList();
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Keepsake.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (Keepsake.slnx) above " + AppContext.BaseDirectory);
    }
}
