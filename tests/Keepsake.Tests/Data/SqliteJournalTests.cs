using Keepsake.Data;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Data;

/// <summary>SQLite's write-ahead log only where it is safe: never silently on a network file system.</summary>
[Trait(KeepsakeApp.Servers, KeepsakeApp.NoServers)]
public sealed class SqliteJournalTests
{
    [Theory]
    [InlineData("ext4")]
    [InlineData("xfs")]
    [InlineData("btrfs")]
    [InlineData("overlay")]
    [InlineData("tmpfs")]
    public void A_database_on_a_local_file_system_uses_the_write_ahead_log(string fileSystem)
    {
        Assert.Equal(("WAL", null), SqliteJournal.Choose("/data", fileSystem, SqliteJournal.Refuse));
    }

    [Theory]
    [InlineData("nfs")]
    [InlineData("nfs4")]
    [InlineData("cifs")]
    [InlineData("smb3")]
    public void A_database_on_a_network_file_system_is_refused_naming_the_setting_that_accepts_the_rollback_journal(string fileSystem)
    {
        var (mode, problem) = SqliteJournal.Choose("/data", fileSystem, SqliteJournal.Refuse);

        Assert.Null(mode);
        Assert.Contains($"/data is on a network file system ({fileSystem})", problem, StringComparison.Ordinal);
        Assert.Contains("Database:OnNetworkFileSystem=rollback-journal", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_on_a_network_file_system_uses_the_rollback_journal_when_the_setting_accepts_it()
    {
        Assert.Equal(("DELETE", null), SqliteJournal.Choose("/data", "nfs4", SqliteJournal.RollbackJournal));
    }

    [Fact]
    public void The_file_system_of_the_configured_folder_is_read_from_the_kernel_and_a_local_temporary_folder_passes()
    {
        using var folder = new TemporaryFolder();
        var options = new DatabaseOptions { ConnectionString = $"Data Source={Path.Combine(folder.Path, "db", "keepsake.db")}" };

        Assert.Equal(("WAL", null), SqliteJournal.Choose(options));
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "db")));
        Assert.False(SqliteJournal.IsNetworkFileSystem(new DriveInfo(folder.Path).DriveFormat));
    }

    [Fact]
    public void PostgreSQL_has_no_journal_to_choose()
    {
        Assert.Equal((null, null), SqliteJournal.Choose(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = "Host=localhost" }));
    }
}
