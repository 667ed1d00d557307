namespace Keepsake.Ks.Stages;

/// <summary>
/// A 12-factor environment of Keepsake: the settings the app reads there, the cluster it runs in, the host names it
/// answers to, and where its secrets come from (never their values). <see cref="Stages"/> defines the four.
/// </summary>
internal sealed record Stage
{
    public required string Name { get; init; }

    /// <summary>Starts the prompt of <c>ks shell</c>, so nobody types into prod thinking it is local.</summary>
    public required string Emoji { get; init; }

    public required string Description { get; init; }

    /// <summary>The app's settings in this stage, printed by <c>ks env</c>.</summary>
    public required SettingList Settings { get; init; }

    public IReadOnlyList<SecretSource> Secrets { get; init; } = [];

    public required StageCluster Cluster { get; init; }

    /// <summary>The names the stage's Ingress answers to.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Whether <see cref="Hosts"/> point to this machine (<c>ks hosts</c>), rather than being in public DNS.</summary>
    public bool HostsOnThisMachine { get; init; }

    /// <summary>Why and how the stage changes only through Git; null where <c>ks deploy</c> may change it.</summary>
    public string? ChangesOnlyThroughGit { get; init; }

    public required StageDatabase Database { get; init; }

    public string Title => $"{Emoji} {Name}";
}

/// <summary>The Kubernetes side of a stage: where <c>kubectl</c> points, and what runs there.</summary>
internal sealed record StageCluster(string Context, string Namespace, string Overlay)
{
    /// <summary>Made on this machine by <c>ks bootstrap</c> (kind with Podman), rather than only reached.</summary>
    public bool IsLocal { get; init; }

    /// <summary>The Argo CD Application that syncs the stage, if one does.</summary>
    public string? ArgoApplication { get; init; }

    /// <summary>What <c>ks terminal</c>, <c>ks logs</c> and <c>ks deploy --all</c> know by name; the first is the app.</summary>
    public IReadOnlyList<Component> Components { get; init; } = [];

    /// <summary>What <c>ks port-forward</c> forwards; the first is the app.</summary>
    public IReadOnlyList<PortForward> Forwards { get; init; } = [];

    public Component App => Components[0];
}

/// <summary>A workload of the stage by its short name: <c>server</c> is <c>deployment/keepsake</c>, container <c>keepsake</c>.</summary>
internal sealed record Component(string Name, string Workload, string Container);

/// <summary><c>kubectl port-forward svc/Service LocalPort:RemotePort</c> on loopback.</summary>
internal sealed record PortForward(string Service, int LocalPort, int RemotePort);

/// <summary>Where <c>ks db</c> opens a session.</summary>
internal abstract record StageDatabase;

/// <summary>The embedded SQLite file named by the stage's <c>Database:ConnectionString</c>, opened with sqlite3 here.</summary>
internal sealed record SqliteOnThisMachine : StageDatabase;

/// <summary>PostgreSQL in a pod of the stage, opened with its own psql through <c>kubectl exec</c>.</summary>
internal sealed record PostgresInCluster(string Workload, string Container, string User, string Name) : StageDatabase;

/// <summary>A PostgreSQL outside the cluster, which ks does not open.</summary>
internal sealed record ManagedPostgres(string Why) : StageDatabase;
