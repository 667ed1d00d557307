namespace Keepsake.Deploy.Tests.Stages;

/// <summary><c>ks terminal</c>, <c>logs</c>, <c>status</c>, <c>db</c> and <c>port-forward</c>: each the kubectl, psql or sqlite3 call its stage needs.</summary>
public sealed class ClusterCommandTests
{
    private const string Local = "kubectl --context kind-keepsake --namespace keepsake-local";

    [Fact]
    public async Task Ks_db_is_read_only_unless_asked_to_write_on_postgres_and_on_sqlite()
    {
        var localRead = await DryRunAsync("db", "local");
        var localWrite = await DryRunAsync("db", "local", "--write");
        var testRead = await DryRunAsync("db", "test");

        Assert.Equal($"{Local} exec -it statefulset/keepsake-postgres -c postgres -- env 'PGOPTIONS=-c default_transaction_read_only=on' psql -U keepsake -d keepsake", localRead);
        Assert.Equal($"{Local} exec -it statefulset/keepsake-postgres -c postgres -- psql -U keepsake -d keepsake", localWrite);
        Assert.Equal("sqlite3 -readonly artifacts/stages/test/keepsake.db", testRead);
    }

    [Fact]
    public async Task Ks_db_on_prod_refuses_and_says_the_database_is_managed_elsewhere()
    {
        var db = await Ks.RunAsync(["db", "prod", "--dry-run"]);

        Assert.Equal(2, db.ExitCode);
        Assert.Equal("", db.Output);
        Assert.Contains("managed outside the cluster", db.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ks_terminal_and_logs_reach_the_component_asked_for_and_name_the_ones_there_are_otherwise()
    {
        Assert.Equal($"{Local} exec -it deployment/keepsake -c keepsake -- sh", await DryRunAsync("terminal", "local"));
        Assert.Equal($"{Local} exec -it statefulset/keepsake-postgres -c postgres -- sh", await DryRunAsync("terminal", "local", "-c", "postgres"));
        Assert.Equal($"{Local} logs deployment/keepsake --all-containers --prefix --tail=200 --follow", await DryRunAsync("logs", "local", "-f"));

        var unknown = await Ks.RunAsync(["terminal", "local", "-c", "nginx", "--dry-run"]);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no component 'nginx' here: server, postgres, redis, s3", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ks_status_asks_argo_cd_only_where_it_syncs_the_stage()
    {
        var staging = await DryRunAsync("status", "staging");
        var local = await DryRunAsync("status", "local");

        Assert.Contains("get applications.argoproj.io keepsake-staging", staging, StringComparison.Ordinal);
        Assert.Contains("/app/keepsake backup status", staging, StringComparison.Ordinal);
        Assert.DoesNotContain("argoproj", local, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ks_port_forward_on_local_forwards_the_app_and_the_ports_ks_env_local_names()
    {
        var forwards = (await DryRunAsync("port-forward", "local")).Split('\n');

        Assert.Equal(
        [
            $"{Local} port-forward --address 127.0.0.1 svc/keepsake 8080:80 &",
            $"{Local} port-forward --address 127.0.0.1 svc/keepsake-postgres 15432:5432 &",
            $"{Local} port-forward --address 127.0.0.1 svc/keepsake-redis 16379:6379 &",
            $"{Local} port-forward --address 127.0.0.1 svc/keepsake-s3 19000:9000 &",
        ], forwards);
        var env = await Ks.RunAsync(["env", "local"]);
        Assert.Contains("Host=127.0.0.1;Port=15432", env.Output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:16379", env.Output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:19000", env.Output, StringComparison.Ordinal);
    }

    private static async Task<string> DryRunAsync(params string[] args)
    {
        var result = await Ks.RunAsync([.. args, "--dry-run"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output.TrimEnd('\n');
    }
}
