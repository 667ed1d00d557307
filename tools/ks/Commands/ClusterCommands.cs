using System.CommandLine;
using Keepsake.Ks.Processes;
using Keepsake.Ks.Stages;
using Microsoft.Data.Sqlite;

namespace Keepsake.Ks.Commands;

/// <summary>The commands that look into a stage's cluster: terminal, logs, status, db, port-forward. Each is one plan of kubectl calls.</summary>
internal static class ClusterCommands
{
    public static IEnumerable<Command> Create(KsContext context, Option<bool> dryRun)
    {
        yield return Terminal(context, dryRun);
        yield return Logs(context, dryRun);
        yield return Status(context, dryRun);
        yield return Database(context, dryRun);
        yield return PortForward(context, dryRun);
    }

    private static Command Terminal(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var component = ComponentOption();
        var command = new Command("terminal", "Open a shell in a running pod of the stage (default: the app's server).") { stage, component };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse, dryRun, cancellationToken, () =>
        {
            var cluster = StageArgument.Resolve(parse, stage, context).Cluster;
            var target = Find(cluster, parse.GetValue(component));
            return [LocalCluster.KubectlIn(cluster, "exec", "-it", target.Workload, "-c", target.Container, "--", "sh")];
        }));
        return command;
    }

    private static Command Logs(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var component = ComponentOption();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl-C." };
        var command = new Command("logs", "Print the last lines of a component's logs, every container of one of its pods (default: the app's server).") { stage, component, follow };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse, dryRun, cancellationToken, () =>
        {
            var cluster = StageArgument.Resolve(parse, stage, context).Cluster;
            var target = Find(cluster, parse.GetValue(component));
            List<string> arguments = ["logs", target.Workload, "--all-containers", "--prefix", "--tail=200"];
            if (parse.GetValue(follow))
            {
                arguments.Add("--follow");
            }
            return [LocalCluster.KubectlIn(cluster, [.. arguments])];
        }));
        return command;
    }

    private static Command Status(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var command = new Command("status", "The stage's pods and workloads, Argo CD's sync and health state where it syncs the stage, and the last backup.") { stage };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse, dryRun, cancellationToken, () =>
        {
            var cluster = StageArgument.Resolve(parse, stage, context).Cluster;
            var plan = new List<Invocation> { LocalCluster.KubectlIn(cluster, "get", "pods,deployments,statefulsets,jobs,cronjobs", "-o", "wide") };
            if (cluster.ArgoApplication is { } application)
            {
                plan.Add(LocalCluster.Kubectl(cluster, "--namespace", "argocd", "get", "applications.argoproj.io", application, "-o",
                    "custom-columns=APPLICATION:.metadata.name,SYNC:.status.sync.status,REVISION:.status.sync.revision,HEALTH:.status.health.status"));
            }
            plan.Add(LocalCluster.KubectlIn(cluster, "exec", cluster.App.Workload, "-c", cluster.App.Container, "--", "/app/keepsake", "backup", "status"));
            return plan;
        }));
        return command;
    }

    private static Command Database(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var write = new Option<bool>("--write") { Description = "Allow changes; without it the session is read-only (psql: default_transaction_read_only, sqlite3: -readonly)." };
        var command = new Command("db", "Open a psql (PostgreSQL stages, inside the database's pod) or sqlite3 (test) session on the stage's database, read-only unless --write.") { stage, write };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse, dryRun, cancellationToken, () =>
        {
            var chosen = StageArgument.Resolve(parse, stage, context);
            var writable = parse.GetValue(write);
            return chosen.Database switch
            {
                SqliteOnThisMachine => [Sqlite(chosen, writable)],
                PostgresInCluster postgres => [Psql(chosen.Cluster, postgres, writable)],
                ManagedPostgres managed => throw new KsException(managed.Why),
                _ => throw new KsException($"ks does not know how to open {chosen.Name}'s database"),
            };
        }));
        return command;
    }

    private static Command PortForward(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var command = new Command("port-forward",
            "Forward the stage's services to loopback ports until Ctrl-C: the app on 127.0.0.1:8080, and for local the database, Redis and S3 server on the ports 'ks env local' names.")
        {
            stage,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse, dryRun, cancellationToken, () =>
        {
            var cluster = StageArgument.Resolve(parse, stage, context).Cluster;
            return cluster.Forwards.Select(f => LocalCluster.KubectlIn(cluster, "port-forward", "--address", "127.0.0.1", $"svc/{f.Service}", $"{f.LocalPort}:{f.RemotePort}") with { Background = true }).ToList();
        }));
        return command;
    }

    private static Invocation Sqlite(Stage stage, bool writable)
    {
        var connectionString = stage.Settings.ValueOf(Setting.KeyOf(Data.DatabaseOptions.Section, nameof(Data.DatabaseOptions.ConnectionString)))
            ?? new Data.DatabaseOptions().ConnectionString;
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return writable ? new("sqlite3", file) : new("sqlite3", "-readonly", file);
    }

    private static Invocation Psql(StageCluster cluster, PostgresInCluster postgres, bool writable)
    {
        string[] psql = ["psql", "-U", postgres.User, "-d", postgres.Name];
        string[] session = writable ? psql : ["env", "PGOPTIONS=-c default_transaction_read_only=on", .. psql];
        return LocalCluster.KubectlIn(cluster, ["exec", "-it", postgres.Workload, "-c", postgres.Container, "--", .. session]);
    }

    private static Option<string?> ComponentOption() => new("--component", "-c")
    {
        Description = "server (the app, default), or for local and test: postgres, redis, s3.",
    };

    private static Component Find(StageCluster cluster, string? name) =>
        name is null ? cluster.App
        : cluster.Components.FirstOrDefault(c => c.Name == name)
            ?? throw new KsException($"there is no component '{name}' here: {string.Join(", ", cluster.Components.Select(c => c.Name))}");

    private static Task<int> RunAsync(KsContext context, ParseResult parse, Option<bool> dryRun, CancellationToken cancellationToken, Func<IReadOnlyList<Invocation>> plan) =>
        new Runner(context, parse.GetValue(dryRun)).RunAsync(plan(), cancellationToken);
}
