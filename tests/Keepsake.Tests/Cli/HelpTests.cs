using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Cli;

/// <summary><c>keepsake --help</c>.</summary>
public sealed class HelpTests
{
    [Fact]
    public async Task Help_lists_every_verb()
    {
        using var folder = new TemporaryFolder();

        var result = await CliRunner.RunProcessAsync(folder.Path, new Dictionary<string, string?>(), "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "import", "user", "fsck", "migrate", "backup", "weather" })
        {
            Assert.Contains(result.Lines, l => l.StartsWith(verb + " ", StringComparison.Ordinal) || l == verb);
        }
    }
}
