using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary>ks keeps the house rule the app's FileSizeTests keep for src/.</summary>
public sealed class KsSourceTests
{
    [Fact]
    public void Every_source_file_of_ks_is_under_300_lines()
    {
        var folder = Repository.PathOf("tools", "ks");
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(File.ReadLines(f).Count() < 300, $"{Path.GetRelativePath(folder, f)} has {File.ReadLines(f).Count()} lines"));
    }
}
