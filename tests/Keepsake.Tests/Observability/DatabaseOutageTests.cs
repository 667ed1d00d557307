using System.Net;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Observability;

// Each test starts a PostgreSQL server of its own whatever the stack, so they run once, in the scale run.
[Trait(Drill.Category, Drill.Name)]
[Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
public sealed class DatabaseOutageTests
{
    private static KeepsakeApp AppOn(PostgresServer postgres, string connectionOptions = "") => new(new Dictionary<string, string?>
    {
        ["Database:Provider"] = "postgres",
        ["Database:ConnectionString"] = MigratedDatabases.CreatePostgresDatabase(postgres) + connectionOptions,
    });

    [Fact]
    public async Task With_the_database_gone_after_start_the_api_answers_503_with_retry_after_and_readiness_is_503()
    {
        using var postgres = PostgresServer.StartPrivate();
        using var app = AppOn(postgres);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        postgres.StopNow();
        var api = await client.GetAsync("/api/setup");
        var ready = await client.GetAsync("/healthz/ready");
        var live = await client.GetAsync("/healthz/live");

        var problem = await api.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Database unavailable", problem.Title);
        Assert.Equal(TimeSpan.FromSeconds(5), api.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task With_the_database_gone_a_signed_in_user_gets_503_and_stays_signed_in()
    {
        using var postgres = PostgresServer.StartPrivate();
        using var app = AppOn(postgres);
        using var owner = await app.CreateOwnerAsync();

        postgres.StopNow();
        using var during = await owner.GetAsync("/api/photos");
        postgres.StartAgain();
        using var after = await owner.GetAsync("/api/photos");

        await during.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.False(during.Headers.Contains("Set-Cookie"), "an outage must not end the session");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task After_PostgreSQL_restarts_the_very_first_requests_are_served_on_live_connections()
    {
        using var postgres = PostgresServer.StartPrivate();
        using var app = AppOn(postgres, ";Timeout=2");
        using var owner = await app.CreateOwnerAsync();
        // Requests side by side leave several idle connections in the pool, each one to a session the restart ends.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await owner.GetPageAsync("/api/photos")));

        // Nothing asks in between, so the pool still holds every connection the restart ended.
        postgres.StopNow();
        postgres.StartAgain();

        for (var request = 0; request < 8; request++)
        {
            using var timeline = await owner.GetAsync("/api/photos");
            Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/healthz/ready")).StatusCode);
    }
}
