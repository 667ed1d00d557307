using Keepsake.Deploy.Tests.Infrastructure;
using Keepsake.Ks;
using Keepsake.Ks.Commands;
using Keepsake.Ks.Processes;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary>The image build <c>ks deploy --dry-run</c> prints is a real one: run through ks's own runner, podman builds the image.</summary>
[Collection(ImageDrillCollection.Name)]
public sealed class DeployImageBuildTests(ImageDrill drill)
{
    [Fact]
    public async Task The_image_build_ks_deploy_prints_really_builds_the_image_with_podman()
    {
        string[] args = ["deploy", "local", "--dry-run", "--prebuilt", "--base-image", ImageDrill.BaseImage];
        var printed = await Ks.RunAsync(args);
        var revision = (await Repository.RunAsync("git", ["rev-parse", "HEAD"])).Output.Trim();
        var plan = DeployCommand.Plan(Keepsake.Ks.Stages.Stages.Local.Cluster, revision, all: false, prebuilt: true, ImageDrill.BaseImage);
        Assert.Equal(plan.Select(i => i.Display + "\n"), Ks.Lines(printed.Output).Select(l => l + "\n"));
        var build = plan.Single(i => i.Program == "podman" && i.Arguments[0] == "build");
        var image = build.Arguments[build.Arguments.ToList().IndexOf("-t") + 1];

        // scripts/test.sh published the server into artifacts/container-publish (the plan's first step), and the drill's
        // base image stands in for the runtime-deps image no registry serves here.
        var environment = new Dictionary<string, string>(drill.Environment) { ["PATH"] = Environment.GetEnvironmentVariable("PATH")! };
        var output = new StringWriter();
        var context = new KsContext(output, output, new StringReader(""), environment, Repository.Root);
        try
        {
            var exit = await new Runner(context, dryRun: false).StartAsync(build, CancellationToken.None);

            Assert.True(exit == 0, output.ToString());
            var version = await drill.PodmanAsync(["image", "inspect", "--format", "{{index .Labels \"org.opencontainers.image.version\"}}", image]);
            Assert.Equal($"local-{revision[..12]}", version.Trim());
        }
        finally
        {
            await drill.TryPodmanAsync(["rmi", "-f", image]);
        }
    }
}
