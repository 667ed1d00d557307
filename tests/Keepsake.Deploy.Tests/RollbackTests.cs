using System.Globalization;
using System.Text.RegularExpressions;
using Keepsake.Deploy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Deploy.Tests;

/// <summary>
/// The health gate (deploy/scripts/wait-for-argocd.sh) and the rollback (roll-back.sh) against recorded Argo CD
/// Application JSON, one fixture per failure mode, polled every 0.2 s (10 s in a workflow).
/// </summary>
public sealed partial class RollbackTests(ITestOutputHelper output)
{
    private const string Deployed = "8f3c2a91d07e4b6c95a1e0f2d3c4b5a697887766";
    private const string Previous = "1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e";
    private const double PollSeconds = 0.2;

    [Fact]
    public async Task A_healthy_deploy_passes_at_the_first_poll()
    {
        var verdict = await WaitAsync("healthy", timeoutSeconds: 30);

        Assert.Equal(("healthy", 1), (verdict.Name, verdict.Polls));
        Assert.Contains($"keepsake-staging is Synced and Healthy at {Deployed}", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deploy_that_progresses_passes_only_once_its_sync_succeeded_and_it_is_healthy()
    {
        var verdict = await WaitAsync("progressing-then-healthy", timeoutSeconds: 30);

        // Polls 1-4: out of sync, the migration hook running, the rollout under way, the sync done but still Progressing.
        Assert.Equal(("healthy", 5), (verdict.Name, verdict.Polls));
    }

    [Fact]
    public async Task A_failed_presync_hook_fails_the_deploy_at_the_poll_that_shows_it_while_the_old_pods_are_still_healthy()
    {
        var verdict = await WaitAsync("failed-presync-hook", timeoutSeconds: 900);

        Assert.Equal(("failed", 2), (verdict.Name, verdict.Polls));
        Assert.Contains("Job/keepsake-migrate (PreSync hook): Job has reached the specified backoff limit", verdict.Why, StringComparison.Ordinal);
        Assert.True(verdict.Seconds < 5, $"took {verdict.Seconds} s");
    }

    [Fact]
    public async Task Crash_looping_pods_fail_the_deploy_when_argo_cd_turns_the_deployment_degraded()
    {
        var verdict = await WaitAsync("crash-looping-pods", timeoutSeconds: 900);

        Assert.Equal(("degraded", 2), (verdict.Name, verdict.Polls));
        Assert.Contains("apps/Deployment:keepsake-staging/keepsake", verdict.Why, StringComparison.Ordinal);
        Assert.Contains("Deployment/keepsake: Deployment \"keepsake\" exceeded its progress deadline", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_keeps_the_deploy_progressing_until_the_progress_deadline_turns_it_degraded()
    {
        var verdict = await WaitAsync("image-pull-error", timeoutSeconds: 900);

        Assert.Equal(("degraded", 5), (verdict.Name, verdict.Polls));
        Assert.Contains("exceeded its progress deadline", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_whose_readiness_probe_never_passes_fails_the_deploy_at_the_timeout()
    {
        var verdict = await WaitAsync("probe-never-ready", timeoutSeconds: 3);

        Assert.Equal("timeout", verdict.Name);
        Assert.Contains($"did not become healthy at {Deployed} within 3s", verdict.Why, StringComparison.Ordinal);
        Assert.InRange(verdict.Seconds, 3, 3 + 10 + 2 * PollSeconds);
        Assert.True(verdict.Polls >= 2, $"only {verdict.Polls} polls");
    }

    [Fact]
    public async Task A_sync_that_cannot_run_fails_the_deploy_at_the_first_poll_with_argo_cds_error()
    {
        var verdict = await WaitAsync("sync-error", timeoutSeconds: 900);

        Assert.Equal(("error", 1), (verdict.Name, verdict.Polls));
        Assert.Contains("the sync could not run: ComparisonError: Failed to load target state", verdict.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_of_another_revision_neither_passes_nor_fails_the_deploy()
    {
        // The fixture's operation is the deploy's; asked about another revision, only the timeout can end the wait.
        var verdict = await WaitAsync("failed-presync-hook", timeoutSeconds: 1, revision: "0000000000000000000000000000000000000000");

        Assert.Equal("timeout", verdict.Name);
    }

    [Fact]
    public async Task After_a_failed_deploy_the_revert_is_pushed_to_every_branch_and_the_stage_comes_back_healthy_on_it()
    {
        using var git = await DeployHistory.CreateAsync();

        var rollback = await RollBackAsync(git, "revert-healthy", ["main", "deploy/prod"]);

        Assert.True(rollback.Process.ExitCode == 0, rollback.Process.Output + rollback.Process.Error);
        var revert = await git.RemoteAsync("rev-parse", "main");
        Assert.Equal(revert, await git.RemoteAsync("rev-parse", "deploy/prod"));
        Assert.Equal(git.Deploy, await git.RemoteAsync("rev-parse", "main^"));
        Assert.Equal(await git.RemoteAsync("rev-parse", $"{git.Deploy}^^{{tree}}"), await git.RemoteAsync("rev-parse", "main^{tree}"));
        Assert.StartsWith("Revert \"Deploy main-2-abc1234 to staging\"", await git.RemoteAsync("log", "-1", "--format=%s", "main"), StringComparison.Ordinal);
        Assert.Equal(("healthy", 2), (rollback.Verdict.Name, rollback.Verdict.Polls));
        Assert.Contains($"keepsake-staging is back on the previous release: the revert {revert} is Synced and Healthy", rollback.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revert_that_does_not_bring_the_stage_back_fails_loudly()
    {
        using var git = await DeployHistory.CreateAsync();

        var rollback = await RollBackAsync(git, "revert-still-degraded", ["main"]);

        Assert.Equal(1, rollback.Process.ExitCode);
        Assert.Equal(("degraded", 2), (rollback.Verdict.Name, rollback.Verdict.Polls));
        var revert = await git.RemoteAsync("rev-parse", "main");
        Assert.Contains($"::error::ROLLBACK FAILED: keepsake-staging is not Synced and Healthy on the revert {revert} of {git.Deploy}", rollback.Process.Error, StringComparison.Ordinal);
    }

    private async Task<Verdict> WaitAsync(string mode, int timeoutSeconds, string revision = Deployed)
    {
        using var argo = new RecordedArgoCd(mode, "keepsake-staging", () => Deployed, Previous);

        var wait = await Repository.RunAsync(Repository.PathOf("deploy", "scripts", "wait-for-argocd.sh"),
            ["keepsake-staging", revision, timeoutSeconds.ToString(CultureInfo.InvariantCulture)], ArgoEnvironment(argo));

        var verdict = Verdict.Parse(wait);
        Assert.Equal(verdict.Name == "healthy" ? 0 : 1, wait.ExitCode);
        Assert.Equal(argo.Polls, verdict.Polls);
        Assert.All(argo.Authorizations, a => Assert.Equal("Bearer test-token", a));
        output.WriteLine($"{mode}: {verdict.Name} after {verdict.Polls} polls in {verdict.Seconds:0.0} s");
        return verdict;
    }

    private async Task<(ProcessResult Process, Verdict Verdict)> RollBackAsync(DeployHistory git, string mode, string[] branches)
    {
        using var argo = new RecordedArgoCd(mode, "keepsake-staging", () => git.Remote("rev-parse", "main"), git.Deploy);

        var rollback = await Repository.RunAsync("bash",
            ["-c", "cd \"$1\" && shift && exec \"$@\"", "-", git.Clone, Repository.PathOf("deploy", "scripts", "roll-back.sh"),
             "keepsake-staging", git.Deploy, "30", .. branches], ArgoEnvironment(argo));

        var verdict = Verdict.Parse(rollback);
        output.WriteLine($"{mode}: {verdict.Name} after {verdict.Polls} polls in {verdict.Seconds:0.0} s");
        return (rollback, verdict);
    }

    private static Dictionary<string, string> ArgoEnvironment(RecordedArgoCd argo) => new()
    {
        ["ARGOCD_SERVER"] = argo.Url,
        ["ARGOCD_AUTH_TOKEN"] = "test-token",
        ["ARGOCD_POLL_SECONDS"] = PollSeconds.ToString(CultureInfo.InvariantCulture),
    };

    private sealed record Verdict(string Name, int Polls, double Seconds, string Why)
    {
        public static Verdict Parse(ProcessResult result)
        {
            var match = VerdictLine().Match(result.Output + result.Error);
            Assert.True(match.Success, $"no verdict in: {result.Output}{result.Error}");
            return new Verdict(match.Groups[1].Value, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), match.Groups[4].Value);
        }
    }

    [GeneratedRegex(@"^VERDICT (\w+) after (\d+) polls in ([\d.]+)s: (.*)$", RegexOptions.Multiline)]
    private static partial Regex VerdictLine();
}
