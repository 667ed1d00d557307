using System.Net;
using System.Text.Json;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Operations;

/// <summary>On PostgreSQL the server does not migrate; on a database nobody has migrated it starts and says so.</summary>
public sealed class PostgresStartupTests
{
    [Fact]
    public async Task A_server_on_an_unmigrated_postgres_database_starts_live_but_not_ready()
    {
        var database = PostgresServer.Instance.CreateDatabase();
        try
        {
            using var app = new KeepsakeApp(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "postgres",
                ["Database:ConnectionString"] = database,
            });
            using var client = app.CreateClient();

            var live = await client.GetAsync("/healthz/live");
            var ready = await client.GetAsync("/healthz/ready");

            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            var schema = report.RootElement.GetProperty("checks").GetProperty("schema");
            Assert.Equal("Unhealthy", schema.GetProperty("status").GetString());
        }
        finally
        {
            PostgresServer.Instance.DropDatabase(database);
        }
    }
}
