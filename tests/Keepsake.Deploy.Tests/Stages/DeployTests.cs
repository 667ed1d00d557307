using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests.Stages;

/// <summary><c>ks deploy</c> and <c>ks bootstrap</c>: refused where Git rules, printed in order with <c>--dry-run</c>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeployTests
{
    [Theory]
    [InlineData("staging", "merge into main; release.yml builds the image CI tested", "Argo CD (Application keepsake-staging)")]
    [InlineData("prod", ".github/workflows/promote.yml", "gh workflow run promote.yml -f staging_commit=")]
    public async Task Ks_deploy_on_staging_and_prod_refuses_and_names_the_git_way_there(string stage, string way, string command)
    {
        string[][] runs = [["deploy", stage], ["deploy", stage, "--dry-run"], ["deploy", stage, "--all"]];
        foreach (var args in runs)
        {
            var deploy = await Ks.RunAsync(args);

            Assert.Equal(2, deploy.ExitCode);
            Assert.Equal("", deploy.Output);
            Assert.Contains("it changes only through Git", deploy.Error, StringComparison.Ordinal);
            Assert.Contains(way, deploy.Error, StringComparison.Ordinal);
            Assert.Contains(command, deploy.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ks_deploy_dry_run_on_local_prints_build_load_apply_and_rollout_in_that_order()
    {
        var deploy = await Ks.RunAsync(["deploy", "local", "--dry-run", "--all"]);

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        string[] expected =
        [
            "podman build -f deploy/Containerfile ",
            "podman save -o artifacts/ks/keepsake-image.tar localhost/keepsake:local-",
            "KIND_EXPERIMENTAL_PROVIDER=podman kind load image-archive artifacts/ks/keepsake-image.tar --name keepsake",
            "kubectl --context kind-keepsake apply -k deploy/k8s/overlays/local",
            "kubectl --context kind-keepsake --namespace keepsake-local set image deployment/keepsake '*=localhost/keepsake:local-",
            "kubectl --context kind-keepsake --namespace keepsake-local rollout status deployment/keepsake --timeout=5m",
            "kubectl --context kind-keepsake --namespace keepsake-local rollout status statefulset/keepsake-postgres",
            "kubectl --context kind-keepsake --namespace keepsake-local rollout status deployment/keepsake-redis",
            "kubectl --context kind-keepsake --namespace keepsake-local rollout status statefulset/keepsake-s3",
        ];
        var lines = Ks.Lines(deploy.Output);
        Assert.Equal(expected.Length, lines.Length);
        Assert.All(expected.Zip(lines), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        var revision = (await Repository.RunAsync("git", ["rev-parse", "HEAD"])).Output.Trim();
        Assert.Contains($"-t localhost/keepsake:local-{revision[..12]} .", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ks_bootstrap_dry_run_on_local_prints_the_registry_the_kind_cluster_and_the_ingress_controller_in_order()
    {
        using var clone = new EmptyClone();
        var bootstrap = await Ks.RunAsync(["bootstrap", "local", "--dry-run"], clone.Path, new Dictionary<string, string> { ["PATH"] = "/nowhere" });

        Assert.True(bootstrap.ExitCode == 0, bootstrap.ToString());
        string[] expected =
        [
            "podman container exists kind-registry >/dev/null 2>&1 || podman run -d --restart=always --name kind-registry -p 127.0.0.1:5001:5000 docker.io/library/registry:2.8.3",
            "KIND_EXPERIMENTAL_PROVIDER=podman kind get kubeconfig --name keepsake >/dev/null 2>&1 || KIND_EXPERIMENTAL_PROVIDER=podman kind create cluster --name keepsake --config tools/ks/kind-cluster.yaml",
            "sh -c 'podman container inspect --format {{.NetworkSettings.Networks}} kind-registry | grep -q kind:' >/dev/null 2>&1 || podman network connect kind kind-registry",
            "podman exec -i keepsake-control-plane sh -c 'mkdir -p /etc/containerd/certs.d/localhost:5001 && cat > /etc/containerd/certs.d/localhost:5001/hosts.toml' <<'EOF'",
            "kubectl --context kind-keepsake apply -f - <<'EOF'",
            "kubectl --context kind-keepsake apply -f https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.12.1/deploy/static/provider/kind/deploy.yaml",
            "kubectl --context kind-keepsake wait --namespace ingress-nginx --for=condition=ready pod",
            "kubectl --context kind-keepsake apply -f deploy/k8s/overlays/local/namespace.yaml",
            "kubectl --context kind-keepsake --namespace keepsake-local get secret keepsake-secrets >/dev/null 2>&1 || kubectl --context kind-keepsake --namespace keepsake-local create -f - <<'EOF'",
            "kubectl --context kind-keepsake --namespace keepsake-local get secret keepsake-db-app >/dev/null 2>&1 || kubectl --context kind-keepsake --namespace keepsake-local create -f - <<'EOF'",
        ];
        // The lines between are the here-documents' contents.
        var commands = Ks.Lines(bootstrap.Output).Where(l => l.StartsWith("podman ", StringComparison.Ordinal) || l.StartsWith("kubectl ", StringComparison.Ordinal) || l.StartsWith("KIND_", StringComparison.Ordinal) || l.StartsWith("sh ", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Length, commands.Count);
        Assert.All(expected.Zip(commands), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.True(File.Exists(Repository.PathOf("tools", "ks", "kind-cluster.yaml")));
        Assert.DoesNotContain("stringData", bootstrap.Output, StringComparison.Ordinal);
        Assert.Equal(2, Ks.Lines(bootstrap.Output).Count(l => l == "(generated when it runs; not shown)"));
        // Nothing is on that PATH nor in that clone's .deps/: the prerequisites are reported with how to install them, on every system.
        foreach (var program in new[] { "podman", "kind", "kubectl" })
        {
            Assert.Contains($"missing: {program}, which ", bootstrap.Error, StringComparison.Ordinal);
        }
        Assert.Contains("  Linux:   sudo apt-get install podman", bootstrap.Error, StringComparison.Ordinal);
        Assert.Contains("  macOS:   brew install podman, then podman machine init && podman machine start", bootstrap.Error, StringComparison.Ordinal);
        Assert.Contains("  Windows: winget install RedHat.Podman", bootstrap.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ks_bootstrap_without_its_prerequisites_stops_before_running_anything()
    {
        using var clone = new EmptyClone();
        var bootstrap = await Ks.RunAsync(["bootstrap", "local"], clone.Path, new Dictionary<string, string> { ["PATH"] = "/nowhere" });

        Assert.Equal(1, bootstrap.ExitCode);
        Assert.Equal("", bootstrap.Output);
        Assert.DoesNotContain("$ ", bootstrap.Error, StringComparison.Ordinal);
        Assert.Contains("install podman, kind, kubectl first", bootstrap.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ks_bootstrap_makes_each_secret_once_with_generated_values_and_keeps_one_that_is_there()
    {
        using var clone = new EmptyClone();
        using var tools = new RecordingTools("podman", "kind", "kubectl", "sh");
        // An earlier bootstrap made the registry and keepsake-secrets, not the cluster nor keepsake-db-app.
        tools.Fail("kind", "get kubeconfig --name keepsake");
        tools.Fail("sh", "grep -q kind:");
        tools.Fail("kubectl", "get secret keepsake-db-app");

        var bootstrap = await Ks.RunAsync(["bootstrap", "local"], clone.Path, new Dictionary<string, string> { ["PATH"] = tools.Path });

        Assert.True(bootstrap.ExitCode == 0, bootstrap.ToString());
        var created = Assert.Single(tools.Calls, c => c.Arguments.EndsWith("create -f -", StringComparison.Ordinal));
        Assert.Contains("name: keepsake-db-app", created.Input, StringComparison.Ordinal);
        Assert.Matches("password: \"[0-9a-f]{40}\"", created.Input);
        Assert.DoesNotContain(created.Input.Split('"')[^2], bootstrap.Error + bootstrap.Output, StringComparison.Ordinal);
        Assert.Equal(2, bootstrap.Error.Split("(there already: skipped)").Length - 1);
        Assert.DoesNotContain(tools.Calls, c => c.Command.StartsWith("podman run", StringComparison.Ordinal));
        Assert.Contains(tools.Calls, c => c.Command == "kind create cluster --name keepsake --config tools/ks/kind-cluster.yaml");
        Assert.Contains(tools.Calls, c => c.Command == "podman network connect kind kind-registry");
    }

    [Fact]
    public async Task Ks_bootstrap_dry_run_on_staging_only_asks_what_this_kube_config_may_do()
    {
        var bootstrap = await Ks.RunAsync(["bootstrap", "staging", "--dry-run"]);

        Assert.True(bootstrap.ExitCode == 0, bootstrap.ToString());
        Assert.All(Ks.Lines(bootstrap.Output), line => Assert.Matches("^kubectl --context keepsake-staging .*auth can-i ", line));
    }
}
