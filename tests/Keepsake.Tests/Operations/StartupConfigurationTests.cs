using System.Globalization;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Operations;

/// <summary>
/// A wrong configuration stops the real server at start, exit code non-zero, with one line that names the
/// setting and the problem, and no stack trace.
/// </summary>
public sealed class StartupConfigurationTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private Dictionary<string, string?> Embedded() => new()
    {
        ["KEEPSAKE_Database__ConnectionString"] = $"Data Source={Path.Combine(_folder.Path, "keepsake.db")}",
        ["KEEPSAKE_Storage__Path"] = Path.Combine(_folder.Path, "data"),
    };

    private static Dictionary<string, string?> AsEnvironment(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(s => "KEEPSAKE_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    private async Task AssertRefusesToStartAsync(IReadOnlyDictionary<string, string?> environment, params string[] expected)
    {
        var result = await CliRunner.RunProcessAsync(_folder.Path, environment, $"--urls http://127.0.0.1:{ClosedPort()}");

        var describe = $"exit {result.ExitCode}\n{result.Output}\n{result.Error}";
        Assert.True(result.ExitCode != 0, describe);
        var line = Assert.Single((result.Output + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("keepsake cannot start: ", line, StringComparison.Ordinal);
        Assert.All(expected, e => Assert.Contains(e, line, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "data")), "Nothing should be written before the checks pass.");
    }

    [Fact]
    public async Task An_unknown_database_provider_stops_the_server_naming_the_setting_the_value_and_the_choices()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Database__Provider"] = "mysql";

        await AssertRefusesToStartAsync(environment, "Database:Provider is 'mysql'; use one of: sqlite, postgres.");
    }

    [Fact]
    public async Task An_unknown_choice_for_a_database_on_a_network_file_system_stops_the_server_naming_the_setting_the_value_and_the_choices()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Database__OnNetworkFileSystem"] = "hope";

        await AssertRefusesToStartAsync(environment, "Database:OnNetworkFileSystem is 'hope'; use one of: refuse, rollback-journal.");
    }

    [Fact]
    public async Task A_request_cap_below_the_photo_limit_stops_the_server_naming_both_settings()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Photos__MaxRequestBytes"] = "1000";

        await AssertRefusesToStartAsync(environment, "Photos:MaxRequestBytes", "Photos:MaxUploadBytes");
    }

    [Fact]
    public async Task An_unknown_storage_provider_stops_the_server_naming_the_setting_the_value_and_the_choices()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Storage__Provider"] = "ftp";

        await AssertRefusesToStartAsync(environment, "Storage:Provider is 'ftp'; use one of: filesystem, s3.");
    }

    [Fact]
    public async Task An_unknown_photo_backup_provider_stops_the_server_naming_the_setting_the_value_and_the_choices()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Backups__Photos__Provider"] = "ftp";

        await AssertRefusesToStartAsync(environment, "Backups:Photos:Provider is 'ftp'; use one of: none, filesystem, s3.");
    }

    [Fact]
    public async Task A_folder_photo_backup_without_a_path_stops_the_server_naming_the_path_setting()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Backups__Photos__Provider"] = "filesystem";

        await AssertRefusesToStartAsync(environment, "Backups:Photos:Path is not set; it is required when Backups:Photos:Provider is 'filesystem'.");
    }

    [Fact]
    public async Task The_s3_provider_without_a_bucket_stops_the_server_naming_the_bucket_setting()
    {
        var environment = Embedded();
        environment["KEEPSAKE_Storage__Provider"] = "s3";

        await AssertRefusesToStartAsync(environment, "Storage:S3:Bucket is required");
    }

    [Fact]
    public async Task An_unreachable_postgres_server_stops_the_server_naming_the_connection_string()
    {
        var environment = Embedded();
        var port = ClosedPort();
        environment["KEEPSAKE_Database__Provider"] = "postgres";
        environment["KEEPSAKE_Database__ConnectionString"] = $"Host=127.0.0.1;Port={port};Username=postgres;Database=keepsake";

        await AssertRefusesToStartAsync(environment, "Database:ConnectionString", $"127.0.0.1:{port}", "cannot be used");
    }

    [Fact]
    public async Task PostgreSQL_without_a_key_encryption_key_stops_the_server_naming_the_setting()
    {
        var environment = Embedded();
        var database = PostgresServer.Instance.CreateDatabase();
        try
        {
            environment["KEEPSAKE_Database__Provider"] = "postgres";
            environment["KEEPSAKE_Database__ConnectionString"] = database;

            await AssertRefusesToStartAsync(environment, "DataProtection:KeyEncryptionKey is required", "openssl rand -base64 32");
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }

    [Fact]
    public async Task An_unreachable_s3_server_stops_the_server_naming_the_storage_settings()
    {
        var environment = Embedded();
        var url = $"http://127.0.0.1:{ClosedPort()}";
        foreach (var (key, value) in AsEnvironment(S3Server.Shared.Settings("photos")))
        {
            environment[key] = value;
        }
        environment["KEEPSAKE_Storage__S3__ServiceUrl"] = url;

        await AssertRefusesToStartAsync(environment, "Storage:S3", url, "cannot be reached");
    }

    [Fact]
    public async Task A_missing_bucket_stops_the_server_naming_the_bucket_setting()
    {
        var environment = Embedded();
        foreach (var (key, value) in AsEnvironment(S3Server.Shared.Settings("no-such-bucket")))
        {
            environment[key] = value;
        }

        await AssertRefusesToStartAsync(environment, "Storage:S3:Bucket", "'no-such-bucket'", "does not exist");
    }

    [Fact]
    public async Task An_unreachable_redis_stops_the_server_naming_the_cache_setting()
    {
        var environment = Embedded();
        var port = ClosedPort();
        environment["KEEPSAKE_Cache__Redis"] = $"127.0.0.1:{port}";

        await AssertRefusesToStartAsync(environment, "Cache:Redis", $"127.0.0.1:{port}", "cannot be reached");
    }

    private static string ClosedPort() => LoopbackPorts.Unused().ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _folder.Dispose();
}
