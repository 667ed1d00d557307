using Keepsake.Backups;
using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Integrity;
using Keepsake.Photos.Trash;
using Keepsake.Secrets;
using Keepsake.Storage;
using static Keepsake.Ks.Stages.Setting;

namespace Keepsake.Ks.Stages;

/// <summary>
/// The four stages. <see cref="Common"/> is what they share (the scale stack: PostgreSQL, S3, Redis, the cluster's
/// CronJobs instead of the in-process timers); each stage states only what differs. Settings are the app's own keys;
/// a secret is named by where it comes from, never by its value.
/// </summary>
internal static class Stages
{
    internal static readonly string KeyEncryptionKey = KeyOf(KeyEncryptionOptions.Section, nameof(KeyEncryptionOptions.KeyEncryptionKey));
    internal static readonly string S3AccessKey = KeyOf(StorageOptions.Section, nameof(StorageOptions.S3), nameof(S3StorageOptions.AccessKey));
    internal static readonly string S3SecretKey = KeyOf(StorageOptions.Section, nameof(StorageOptions.S3), nameof(S3StorageOptions.SecretKey));
    private static readonly string ConnectionString = KeyOf(DatabaseOptions.Section, nameof(DatabaseOptions.ConnectionString));

    private static Setting S3(string property, string value) => new(KeyOf(StorageOptions.Section, nameof(StorageOptions.S3), property), value);

    private static readonly Component Server = new("server", "deployment/keepsake", "keepsake");

    private static readonly Stage Common = new()
    {
        Name = "common",
        Emoji = "",
        Description = "",
        Settings = new SettingList([
            new(KeyOf(DatabaseOptions.Section, nameof(DatabaseOptions.Provider)), DatabaseOptions.Postgres),
            new(KeyOf(StorageOptions.Section, nameof(StorageOptions.Provider)), StorageOptions.S3Provider),
            new(KeyOf(CacheOptions.Section, nameof(CacheOptions.Redis)), "keepsake-redis:6379"),
            new(KeyOf(BackupsOptions.Section, nameof(BackupsOptions.Schedule), nameof(BackupScheduleOptions.Enabled)), "false"),
            new(KeyOf(FsckOptions.Section, nameof(FsckOptions.Schedule), nameof(FsckScheduleOptions.Enabled)), "false"),
            new(KeyOf(TrashOptions.Section, nameof(TrashOptions.Purge), nameof(TrashPurgeOptions.Enabled)), "false"),
        ]),
        Cluster = new StageCluster("", "", "") { Components = [Server], Forwards = [new PortForward("keepsake", 8080, 80)] },
        Database = new PostgresInCluster("svc/keepsake-db-rw", "postgres", "postgres", "keepsake"),
    };

    /// <summary>The kind cluster <c>ks bootstrap</c> makes with Podman; local and test deploy to it.</summary>
    private static readonly StageCluster Kind = Common.Cluster with
    {
        Context = "kind-keepsake",
        Namespace = "keepsake-local",
        Overlay = "deploy/k8s/overlays/local",
        IsLocal = true,
        Components = [
            Server,
            new("postgres", "statefulset/keepsake-postgres", "postgres"),
            new("redis", "deployment/keepsake-redis", "redis"),
            new("s3", "statefulset/keepsake-s3", "s3"),
        ],
        Forwards = [
            .. Common.Cluster.Forwards,
            new PortForward("keepsake-postgres", 15432, 5432),
            new PortForward("keepsake-redis", 16379, 6379),
            new PortForward("keepsake-s3", 19000, 9000),
        ],
    };

    public static readonly Stage Local = Common with
    {
        Name = "local",
        Emoji = "🐣",
        Description = "a kind cluster on this machine (Podman) with PostgreSQL, Redis and an S3 server; the settings reach them through 'ks port-forward'",
        Settings = Common.Settings.With(
            new(ConnectionString, "Host=127.0.0.1;Port=15432;Database=keepsake;Username=keepsake"),
            S3(nameof(S3StorageOptions.ServiceUrl), "http://127.0.0.1:19000"),
            S3(nameof(S3StorageOptions.Bucket), "keepsake"),
            S3(nameof(S3StorageOptions.ForcePathStyle), "true"),
            new(KeyOf(CacheOptions.Section, nameof(CacheOptions.Redis)), "127.0.0.1:16379")),
        Secrets = [
            new(VariableOf(KeyEncryptionKey), "Secret keepsake-secrets in namespace keepsake-local (made by ks bootstrap)"),
            new("PGPASSWORD", "the password in Secret keepsake-db-app in namespace keepsake-local (made by ks bootstrap; Npgsql reads PGPASSWORD)"),
            new(VariableOf(S3AccessKey), "Secret keepsake-secrets in namespace keepsake-local"),
            new(VariableOf(S3SecretKey), "Secret keepsake-secrets in namespace keepsake-local"),
        ],
        Cluster = Kind,
        Hosts = ["keepsake.localhost"],
        HostsOnThisMachine = true,
        Database = new PostgresInCluster("statefulset/keepsake-postgres", "postgres", "keepsake", "keepsake"),
    };

    public static readonly Stage Test = Local with
    {
        Name = "test",
        Emoji = "🛠️",
        Description = "the embedded stack (SQLite and a folder) on this machine, where scripts/test.sh runs; 'ks deploy' uses the local kind cluster",
        Settings = Common.Settings
            .Without(KeyOf(CacheOptions.Section, nameof(CacheOptions.Redis)),
                KeyOf(BackupsOptions.Section, nameof(BackupsOptions.Schedule), nameof(BackupScheduleOptions.Enabled)),
                KeyOf(FsckOptions.Section, nameof(FsckOptions.Schedule), nameof(FsckScheduleOptions.Enabled)),
                KeyOf(TrashOptions.Section, nameof(TrashOptions.Purge), nameof(TrashPurgeOptions.Enabled)))
            .With(
                new(KeyOf(DatabaseOptions.Section, nameof(DatabaseOptions.Provider)), DatabaseOptions.Sqlite),
                new(ConnectionString, "Data Source=artifacts/stages/test/keepsake.db"),
                new(KeyOf(StorageOptions.Section, nameof(StorageOptions.Provider)), StorageOptions.FileSystemProvider),
                new(KeyOf(StorageOptions.Section, nameof(StorageOptions.Path)), "artifacts/stages/test/data")),
        Secrets = [],
        Database = new SqliteOnThisMachine(),
    };

    /// <summary>What staging and prod share: the cluster overlays' settings ConfigMap (a test holds them equal).</summary>
    private static readonly Stage Remote = Common with
    {
        Settings = Common.Settings.With(
            new(KeyOf(NetworkOptions.Section, nameof(NetworkOptions.KnownNetworks)), "10.0.0.0/8"),
            new(KeyOf(StorageOptions.Section, nameof(StorageOptions.Path)), "/data"),
            S3(nameof(S3StorageOptions.ServiceUrl), "https://s3.eu-central-1.amazonaws.com"),
            S3(nameof(S3StorageOptions.Region), "eu-central-1")),
    };

    public static readonly Stage Staging = Remote with
    {
        Name = "staging",
        Emoji = "🤖",
        Description = "the shared cluster's staging namespace, synced by Argo CD from main",
        Settings = Remote.Settings.With(S3(nameof(S3StorageOptions.Bucket), "keepsake-staging")),
        Secrets = RemoteSecrets("keepsake-staging", "built by the pods from Secret keepsake-db-app (made by CloudNativePG) in namespace keepsake-staging"),
        Cluster = Remote.Cluster with { Context = "keepsake-staging", Namespace = "keepsake-staging", Overlay = "deploy/k8s/overlays/staging", ArgoApplication = "keepsake-staging" },
        Hosts = ["photos-staging.example.org"],
        ChangesOnlyThroughGit = "merge into main; release.yml builds the image CI tested, commits it into deploy/k8s/overlays/staging, " +
            "and Argo CD (Application keepsake-staging) syncs it. Watch it with: deploy/scripts/wait-for-argocd.sh keepsake-staging \"$(git rev-parse origin/main)\" 900",
    };

    public static readonly Stage Prod = Remote with
    {
        Name = "prod",
        Emoji = "🔥",
        Description = "the shared cluster's prod namespace, synced by Argo CD from the deploy/prod branch; its PostgreSQL is managed outside the cluster",
        Settings = Remote.Settings.With(S3(nameof(S3StorageOptions.Bucket), "keepsake-prod")),
        Secrets = RemoteSecrets("keepsake-prod", "Secret keepsake-secrets in namespace keepsake-prod"),
        Cluster = Remote.Cluster with { Context = "keepsake-prod", Namespace = "keepsake-prod", Overlay = "deploy/k8s/overlays/prod", ArgoApplication = "keepsake-prod" },
        Hosts = ["photos.example.org"],
        ChangesOnlyThroughGit = "promote a staging commit with the promotion workflow .github/workflows/promote.yml, " +
            "e.g. gh workflow run promote.yml -f staging_commit=<a \"Deploy … to staging\" commit on main>; Argo CD (Application keepsake-prod) syncs deploy/prod",
        Database = new ManagedPostgres("prod's PostgreSQL is managed outside the cluster: connect with your provider's tools, using the connection string in Secret keepsake-secrets in namespace keepsake-prod"),
    };

    public static IReadOnlyList<Stage> All { get; } = [Test, Local, Staging, Prod];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    public static Stage? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    private static IReadOnlyList<SecretSource> RemoteSecrets(string ns, string databaseSource) =>
    [
        new(VariableOf(KeyEncryptionKey), $"Secret keepsake-secrets in namespace {ns}"),
        new(VariableOf(S3AccessKey), $"Secret keepsake-secrets in namespace {ns} (or none: the AWS credential chain)"),
        new(VariableOf(S3SecretKey), $"Secret keepsake-secrets in namespace {ns} (or none: the AWS credential chain)"),
        new(VariableOf(ConnectionString), databaseSource),
    ];
}
