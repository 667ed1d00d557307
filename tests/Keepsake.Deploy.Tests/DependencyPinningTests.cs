using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Keepsake.Deploy.Tests;

/// <summary>
/// Every base image is pinned by digest where Dependabot can see it, Dependabot keeps each ecosystem the repository
/// uses fresh, and the image cannot be made without its tests passing.
/// </summary>
public sealed partial class DependencyPinningTests
{
    private static readonly string[] Containerfile = File.ReadAllLines(Repository.PathOf("deploy", "Containerfile"));

    [Fact]
    public void Every_base_image_is_pinned_by_digest_in_a_from_line_with_its_tag_in_the_comment_above()
    {
        var stages = new List<string>();
        var images = 0;
        for (var i = 0; i < Containerfile.Length; i++)
        {
            var from = FromLine().Match(Containerfile[i]);
            if (!from.Success)
            {
                continue;
            }
            var source = from.Groups["source"].Value;
            if (!stages.Contains(source))
            {
                var pinned = PinnedImage().Match(source);
                Assert.True(pinned.Success, $"line {i + 1}: {source} is neither an earlier stage nor an image pinned as name:tag@sha256:<64 hex>");
                var name = pinned.Groups["repository"].Value.Split('/', 2)[1];
                var tag = $"{(name.StartsWith("library/", StringComparison.Ordinal) ? name["library/".Length..] : name)}:{pinned.Groups["tag"].Value}";
                Assert.Equal($"# {tag}", Containerfile[i - 1].Trim());
                images++;
            }
            stages.Add(from.Groups["stage"].Value);
        }

        Assert.Equal(3, images);
        // A base image chosen by an ARG is invisible to Dependabot, and its default unpinned.
        Assert.DoesNotContain(Containerfile, line => line.StartsWith("ARG ", StringComparison.Ordinal) && line.Contains("IMAGE", StringComparison.Ordinal));
    }

    [Fact]
    public void The_image_is_built_through_the_test_stage_so_a_red_test_stops_it()
    {
        var text = string.Join('\n', Containerfile);

        Assert.Matches(@"FROM node-base AS web\n(.*\n)*RUN npm test [^\n]*\n\s+&& npm run build", text);
        Assert.Matches(@"FROM sdk-base AS test\n(.*\n)*COPY --from=web /src/src/Keepsake/wwwroot (.*\n)*RUN dotnet test tests/Keepsake.Tests [^\n]*\\\n\s+--filter Category=unit", text);
        Assert.Contains("FROM test AS build\n", text, StringComparison.Ordinal);
        Assert.EndsWith("FROM runtime\nCOPY --from=build /app /app", text.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dependabot_keeps_every_ecosystem_the_repository_uses_fresh_weekly_and_grouped()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Repository.PathOf(".github", "dependabot.yml"))));
        var updates = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["updates"]).Cast<YamlMappingNode>()
            .Select(u => (Ecosystem: Scalar(u, "package-ecosystem"), Directory: Scalar(u, "directory"), Entry: u)).ToList();

        var used = new List<(string Ecosystem, string Directory)> { ("github-actions", "/"), ("docker", "/deploy"), ("nuget", "/") };
        Assert.NotEmpty(Directory.GetFiles(Repository.PathOf(".github", "workflows"), "*.yml"));
        Assert.True(File.Exists(Repository.PathOf("Directory.Packages.props")));
        used.AddRange(Directory.EnumerateFiles(Repository.Root, "package-lock.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains("node_modules", StringComparison.Ordinal) && !f.Contains("/.git/", StringComparison.Ordinal))
            .Select(f => ("npm", "/" + Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(f)!).Replace('\\', '/'))));
        Assert.Contains(("npm", "/src/Keepsake.Web"), used);

        Assert.All(used, u => Assert.Contains((u.Ecosystem, u.Directory), updates.Select(x => (x.Ecosystem, x.Directory))));
        Assert.All(updates, u =>
        {
            Assert.Equal("weekly", Scalar((YamlMappingNode)u.Entry["schedule"], "interval"));
            var groups = (YamlMappingNode)u.Entry["groups"];
            Assert.Contains(groups.Children.Values.Cast<YamlMappingNode>(), g => ((YamlSequenceNode)g["patterns"]).Any(p => ((YamlScalarNode)p).Value == "*"));
        });
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value ?? "";

    [GeneratedRegex(@"^FROM\s+(?<source>\S+)(\s+AS\s+(?<stage>\S+))?\s*$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^(?<repository>[a-z0-9.-]+(/[a-z0-9._-]+)+):(?<tag>[\w.-]+)@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();
}
