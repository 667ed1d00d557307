namespace Keepsake.E2E.Infrastructure;

/// <summary>Where the tests leave screenshots for a person to look at, and where the shared test photos are.</summary>
public static class Artifacts
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ScreenshotsFolder { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot, "artifacts", "screenshots")).FullName;

    public static string PhotosFolder { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata", "photos"));

    public static string OddFolder { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata", "odd"));

    public static string Screenshot(string name) => Path.Combine(ScreenshotsFolder, name + ".png");

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
