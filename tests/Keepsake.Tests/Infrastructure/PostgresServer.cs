using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server (initdb + pg_ctl in a temporary folder, on a free loopback port). One,
/// <see cref="Instance"/>, serves the whole test run: started on first use, stopped when the test process
/// exits; every <see cref="KeepsakeApp"/> gets a database of its own on it. A test that stops the server
/// (an outage drill) starts a private one with <see cref="StartPrivate"/>.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _folder;
    private readonly string _binaries;
    private readonly bool _asPostgresUser;

    private PostgresServer(string folder, string binaries, bool asPostgresUser, int port)
    {
        _folder = folder;
        _binaries = binaries;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public static PostgresServer Instance => Shared.Value;

    /// <summary>A server of the caller's own, which it may stop and start again; removed on dispose.</summary>
    public static PostgresServer StartPrivate() => Start();

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database}";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    /// <summary>A new empty database, or a copy of <paramref name="template"/> (a database nobody is connected to).</summary>
    public string CreateDatabase(string? template = null)
    {
        var name = "keepsake_" + Guid.NewGuid().ToString("N");
        Execute(template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return ConnectionString(name);
    }

    /// <summary>Closes the pooled connections to a database and drops it.</summary>
    public void DropDatabase(string connectionString)
    {
        using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>
    /// Makes a database take no writes, or writes again, as a failover to a standby does: new transactions default to
    /// read-only, and the sessions open now are ended so that every client's next one starts under the new default.
    /// </summary>
    public void SetReadOnly(string connectionString, bool readOnly)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Execute($"ALTER DATABASE \"{name}\" SET default_transaction_read_only = {(readOnly ? "on" : "off")}");
        Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static PostgresServer Start()
    {
        var binaries = FindBinaries()
            ?? throw new InvalidOperationException(
                "PostgreSQL's initdb and pg_ctl were not found (on PATH or in /usr/lib/postgresql/*/bin). " +
                "Run scripts/test.sh, which installs the 'postgresql' package, or install it yourself.");
        var asPostgresUser = Environment.UserName == "root";
        RemoveLeftovers(binaries, asPostgresUser);
        var folder = Path.Combine(Root, FolderPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        ServerOwnership.Claim(folder);
        var port = LoopbackPorts.Unused();
        var server = new PostgresServer(folder, binaries, asPostgresUser, port);
        if (asPostgresUser)
        {
            // initdb and pg_ctl refuse to run as root.
            Run("chown", ["postgres", folder], asPostgresUser: false);
        }
        server.RunTool("initdb", ["-D", server.DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "-N"]);
        server.StartAgain();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopNow"/>) on the same port and data.</summary>
    public void StartAgain()
    {
        // fsync off is safe for a test server the machine does not crash under; synchronous_commit stays on,
        // because without it StopNow, which is a crash to PostgreSQL, loses the last commits clients were told of.
        var settings = $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c listen_addresses=127.0.0.1 " +
            "-c max_connections=300 -c fsync=off -c full_page_writes=off";
        RunTool("pg_ctl", ["-D", DataFolder, "-w", "-l", Path.Combine(_folder, "server.log"), "-o", settings, "start"]);
    }

    /// <summary>Stops the server at once, closing every client connection, as a crash or a failover does.</summary>
    public void StopNow() => RunTool("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);

    private const string FolderPrefix = "keepsake-postgres-";

    /// <summary>
    /// Where the server keeps its data: in memory (tmpfs) where the machine has one. Every test database is made from a
    /// template and dropped again, a few hundred files each time, and on ext4 making files among that many just deleted
    /// is slow (the kernel searches for an inode not recently freed): it was half of PostgreSQL's CPU time in a run.
    /// </summary>
    private static string Root => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>The test host may be ended before its exit handler has stopped its server and deleted the folder:
    /// a server whose test process is gone is stopped, and stopped servers' folders go.</summary>
    private static void RemoveLeftovers(string binaries, bool asPostgresUser)
    {
        foreach (var folder in Directory.EnumerateDirectories(Root, FolderPrefix + "*"))
        {
            var data = Path.Combine(folder, "data");
            var running = File.Exists(Path.Combine(data, "postmaster.pid"));
            if (running && ServerOwnership.IsAbandoned(folder))
            {
                try
                {
                    Run(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], asPostgresUser);
                    running = false;
                }
                catch (InvalidOperationException)
                {
                    // A server killed with its test process leaves its pid file behind, which pg_ctl cannot stop;
                    // one that is still alive is not stoppable by us and is left alone.
                    running = PostmasterIsAlive(data);
                }
            }
            if (!running && (ServerOwnership.IsAbandoned(folder) || Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddMinutes(-10)))
            {
                ServerOwnership.DeleteFolder(folder);
            }
        }
    }

    private static bool PostmasterIsAlive(string data)
    {
        try
        {
            // The pid file's first line is the postmaster's process id.
            var id = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (Exception exception) when (exception is ArgumentException or IOException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private string DataFolder => Path.Combine(_folder, "data");

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                StopNow();
            }
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The process is exiting; a leftover folder in /tmp is the worst outcome.
        }
    }

    private void RunTool(string tool, IReadOnlyList<string> arguments) =>
        Run(Path.Combine(_binaries, tool), arguments, _asPostgresUser);

    private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgresUser)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = start };
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.Start();
        // The server pg_ctl starts may hold on to the pipes, so only the exit is awaited, not their end.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within a minute.");
        }
        if (process.ExitCode != 0)
        {
            // The pipes may still be read (see above): the output is copied under the lock the readers take.
            string printed;
            lock (output)
            {
                printed = output.ToString();
            }
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {printed}");
        }
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }
        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.EnumerateDirectories(Debian)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }
}
