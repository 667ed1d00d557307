using System.Text.RegularExpressions;
using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests.Tilt;

/// <summary>What the Tiltfile asks Tilt to do, read through the shim, against the repository and the rendered local overlay.</summary>
public sealed partial class TiltfileTests
{
    private static readonly Lazy<Task<TiltfileRun>> Tiltfile = new(() => TiltfileRun.RunAsync());
    private static readonly Lazy<Task<RenderedOverlay>> Local = new(() => RenderedOverlay.RenderAsync("local"));

    [Fact]
    public async Task The_image_is_built_and_pushed_by_podman_with_no_docker_daemon()
    {
        var tilt = await Tiltfile.Value;
        var local = await Local.Value;

        Assert.Empty(tilt.Of("docker_build"));
        Assert.True(tilt.ImageBuild.Arguments["skips_local_docker"]!.GetValue<bool>(), "Tilt would look for the image in a Docker daemon");
        Assert.Collection(tilt.ImageBuildSteps,
            build => Assert.Matches(@"^podman build -f deploy/Containerfile --target prebuilt .* -t ""\$EXPECTED_REF"" \.$", build),
            push => Assert.Equal(@"podman push --tls-verify=false ""$EXPECTED_REF""", push));
        Assert.Equal(tilt.ImageBuild.Text("command").Replace("\"$EXPECTED_REF\"", "%EXPECTED_REF%", StringComparison.Ordinal), tilt.ImageBuild.Text("command_bat"));
        Assert.DoesNotContain(tilt.Calls.SelectMany(c => c.Arguments.Select(a => a.Value?.ToJsonString() ?? "")), a => DockerCommand().IsMatch(a));
        // Tilt replaces the overlay's image by name: the ref is the server's image without its tag.
        Assert.Equal(tilt.ImageBuild.Text("ref"), local.Server.Spec.Template.Spec.Containers.Single().Image.Split(':')[0]);
    }

    [Fact]
    public async Task The_tiltfile_deploys_the_local_overlay_and_only_to_the_kind_keepsake_cluster()
    {
        var tilt = await Tiltfile.Value;

        var yaml = Assert.Single(tilt.Of("k8s_yaml")).Arguments["yaml"]!;
        Assert.Equal("deploy/k8s/overlays/local", yaml["blob"]!["kustomize"]!.GetValue<string>());
        Assert.Equal(["kind-keepsake"], Assert.Single(tilt.Of("allow_k8s_contexts")).Texts("contexts"));
        var elsewhere = await TiltfileRun.RunShimAsync(context: "kind-kind");
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("kubectl config use-context kind-keepsake", elsewhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_live_update_syncs_a_folder_the_tiltfile_builds_into_the_copy_the_server_runs_from()
    {
        var tilt = await Tiltfile.Value;
        var local = await Local.Value;
        var deps = tilt.ImageBuild.Texts("deps");
        var builds = tilt.Of("local_resource").ToList();
        var syncs = tilt.LiveUpdate("sync").Select(s => (Local: s["local_path"]!.GetValue<string>(), Remote: s["remote_path"]!.GetValue<string>())).ToList();
        var loop = tilt.ImageBuild.Texts("entrypoint");

        Assert.Equal(2, syncs.Count);
        Assert.All(syncs, s =>
        {
            Assert.True(Directory.Exists(Repository.PathOf(s.Local)), $"{s.Local} does not exist: the build before the tests makes it, as the Tiltfile's local resources do");
            Assert.Contains(s.Local, deps);
            Assert.StartsWith("/tmp/live", s.Remote, StringComparison.Ordinal);
        });
        // The server's publish and the web app's Vite build write exactly the synced folders.
        Assert.Contains(builds, b => b.Texts("cmd").SkipWhile(a => a != "-o").Skip(1).FirstOrDefault() == syncs[0].Local);
        var outDir = ViteOutDir().Match(await File.ReadAllTextAsync(Repository.PathOf("src", "Keepsake.Web", "vite.config.ts"))).Groups[1].Value;
        Assert.Equal(Repository.PathOf(syncs[1].Local), Path.GetFullPath(Path.Combine(Repository.PathOf("src", "Keepsake.Web"), outDir)));
        Assert.Contains(builds, b => b.Texts("cmd").Contains("-target:BuildWeb"));
        Assert.Equal("/tmp/live/wwwroot", syncs[1].Remote);
        // The server runs from that copy of /app, in the scratch volume the overlay gives it under its read-only root.
        Assert.Equal(["sh", "-c"], loop.Take(2));
        Assert.Contains("cp -R /app /tmp/live", loop[2], StringComparison.Ordinal);
        var server = local.Server.Spec.Template.Spec;
        var tmp = server.Containers.Single().VolumeMounts.Single(m => m.MountPath == "/tmp").Name;
        Assert.NotNull(server.Volumes.Single(v => v.Name == tmp).EmptyDir);
        // Tilt's rules: fall_back_on, then sync, then run; runs are triggered by files the syncs carry.
        Assert.Equal(["fall_back_on", "sync", "sync", "run", "run"], tilt.ImageBuild.Objects("live_update").Select(s => s["step"]!.GetValue<string>()));
        Assert.All(tilt.LiveUpdate("fall_back_on").SelectMany(f => f["files"]!.AsArray()), f => Assert.Contains(f!.GetValue<string>(), deps));
        Assert.All(tilt.LiveUpdate("run").SelectMany(r => r["trigger"]!.AsArray()), t => Assert.Contains(syncs, s => t!.GetValue<string>().StartsWith(s.Local, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_resource_the_tiltfile_names_is_a_workload_of_the_overlay_started_in_the_order_a_sync_applies_it()
    {
        var tilt = await Tiltfile.Value;
        var local = await Local.Value;
        var workloads = local.PodTemplates().Select(t => t.Owner.Split('/')[1]).ToHashSet();
        var resources = tilt.Of("k8s_resource").ToDictionary(r => r.Text("workload"));
        var known = resources.Keys.Concat(tilt.Of("local_resource").Select(r => r.Text("name"))).ToHashSet();

        Assert.All(resources.Keys, r => Assert.Contains(r, workloads));
        Assert.All(resources.Values.SelectMany(r => r.Texts("resource_deps")), d => Assert.Contains(d, known));
        // The app, the migration Job and the backup CronJob show as resources of their own.
        Assert.Superset(new HashSet<string> { "keepsake", "keepsake-migrate", "keepsake-backup-create" }, resources.Keys.ToHashSet());
        Assert.Superset(new HashSet<string> { "keepsake-postgres", "keepsake-bucket" }, resources["keepsake-migrate"].Texts("resource_deps").ToHashSet());
        Assert.Contains("keepsake-migrate", resources["keepsake"].Texts("resource_deps"));
        Assert.All(local.All<V1CronJob>(), c => Assert.Contains("keepsake-migrate", resources[c.Metadata.Name].Texts("resource_deps")));
        // The port-forwards reach the server's own ports.
        var ports = local.Server.Spec.Template.Spec.Containers.Single().Ports.Select(p => p.ContainerPort).ToList();
        var forwards = resources["keepsake"].Objects("port_forwards").Select(p => p["container_port"]!.GetValue<int>()).ToList();
        Assert.Contains(8080, forwards);
        Assert.All(forwards, p => Assert.Contains(p, ports));
    }

    [Theory]
    [InlineData("custom_build('localhost/keepsake', 'podman build .', ['.'], skip_local_docker=True)\n", "skip_local_docker")]
    [InlineData("name = 'keepsake'\nk8s_yaml(f'{name}.yaml')\n", "f-string")]
    [InlineData("import subprocess\n", "import")]
    [InlineData("k8s_yaml(open('deploy.yaml').read())\n", "open")]
    public async Task The_shim_refuses_what_tilt_would_refuse(string tiltfile, string named)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("keepsake-tiltfile-").FullName, "Tiltfile");
        await File.WriteAllTextAsync(file, tiltfile);
        try
        {
            var result = await Repository.RunAsync("python3", [TiltfileRun.Shim, file]);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(named, result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [GeneratedRegex(@"outDir:\s*'([^']+)'")]
    private static partial Regex ViteOutDir();

    [GeneratedRegex(@"(^|[\s""'\[])docker(\s|"",)")]
    private static partial Regex DockerCommand();
}
