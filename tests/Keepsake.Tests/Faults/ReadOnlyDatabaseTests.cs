using System.Net;
using System.Net.Http.Json;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// A database that stops taking writes while the server runs, as after a failover to a standby. A mounted SQLite file
/// cannot be turned read-only under a writer (the kernel refuses while files are open for writing), so this is the
/// scale stack's PostgreSQL; the embedded stack's read-only file is refused at start (see <see cref="StorageFaultTests"/>).
/// </summary>
[Trait(Drill.Category, Drill.Name)]
[Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
public sealed class ReadOnlyDatabaseTests
{
    [Fact]
    public async Task A_database_that_turns_read_only_while_serving_answers_503_and_is_not_ready_until_it_takes_writes_again()
    {
        var database = MigratedDatabases.CreatePostgresDatabase();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = database,
        });
        await using var server = await ServerProcess.StartAsync(app);
        var owner = await server.SetUpOwnerAsync();
        using var probe = new HttpClient { BaseAddress = server.PublicAddress };

        PostgresServer.Instance.SetReadOnly(database, readOnly: true);
        try
        {
            var album = await owner.PostAsJsonAsync("/api/albums", new { name = "Holidays" });
            var readiness = await probe.GetAsync("/healthz/ready");

            Assert.True(album.StatusCode == HttpStatusCode.ServiceUnavailable, $"{album.StatusCode}: {await album.Content.ReadAsStringAsync()}\n{server.Output}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
            Assert.Contains("transaction_read_only", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            PostgresServer.Instance.SetReadOnly(database, readOnly: false);
        }

        // The sessions that were read-only are ended; the pool replaces them as requests come.
        var ready = false;
        for (var attempt = 0; attempt < 50 && !ready; attempt++)
        {
            ready = (await probe.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK;
            await Task.Delay(ready ? 0 : 200);
        }
        Assert.True(ready, "not ready again within ten seconds:\n" + server.Output);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/api/albums", new { name = "Holidays" })).StatusCode);
        Assert.DoesNotContain(server.Lines, line => line.Contains("\"level\":\"Error\"", StringComparison.Ordinal) && !line.Contains("storage", StringComparison.Ordinal));
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
