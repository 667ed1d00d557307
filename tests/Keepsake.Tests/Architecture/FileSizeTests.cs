using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Architecture;

/// <summary>A file a newcomer opens fits in one reading; past 300 lines it is split by operation or concept.</summary>
[Trait(Unit.Category, Unit.Name)]
public sealed class FileSizeTests
{
    private const int MostLines = 300;

    [Fact]
    public void No_hand_written_source_file_of_the_server_or_the_web_app_is_over_300_lines()
    {
        var src = Path.Combine(TestData.RepositoryRoot, "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".cs" or ".ts" or ".tsx")
            .Where(f => !IsGenerated(Path.GetRelativePath(src, f).Replace('\\', '/')));

        var tooLong = files.Select(f => (File: Path.GetRelativePath(TestData.RepositoryRoot, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MostLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, $"Split these by operation or concept (at most {MostLines} lines each):\n" + string.Join("\n", tooLong));
    }

    /// <summary>Migrations and compiled models are written by dotnet ef, the API types by openapi-typescript; build output and packages are not sources.</summary>
    private static bool IsGenerated(string path) =>
        path.Contains("/Migrations/", StringComparison.Ordinal)
        || path.StartsWith("Keepsake/CompiledModels/", StringComparison.Ordinal)
        || path.EndsWith(".d.ts", StringComparison.Ordinal)
        || path.Split('/').Any(part => part is "bin" or "obj" or "node_modules" or "wwwroot");
}
