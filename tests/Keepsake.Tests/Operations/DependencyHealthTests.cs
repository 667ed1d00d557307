using System.Net;
using System.Text.Json;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;

namespace Keepsake.Tests.Operations;

/// <summary>A dependency that goes away after start turns <c>/healthz/ready</c> 503, naming it; liveness stays.</summary>
public sealed class DependencyHealthTests
{
    private static async Task<JsonElement> AssertNotReadyAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);
        using var ready = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        return report.RootElement.GetProperty("checks").Clone();
    }

    [Fact]
    public async Task Ready_turns_503_naming_the_cache_when_redis_stops()
    {
        using var redis = RedisServer.Start();
        using var app = new KeepsakeApp(new Dictionary<string, string?> { ["Cache:Redis"] = redis.Configuration });
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        redis.Stop();

        var checks = await AssertNotReadyAsync(client);
        Assert.Equal("Unhealthy", checks.GetProperty("cache").GetProperty("status").GetString());
        Assert.Contains("Cache:Redis", checks.GetProperty("cache").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_turns_503_naming_the_storage_when_the_s3_server_stops()
    {
        await using var s3 = new S3Server();
        await s3.InitializeAsync();
        using var app = new KeepsakeApp(s3.Settings(await s3.CreateBucketAsync()));
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        await s3.StopAsync();

        var checks = await AssertNotReadyAsync(client);
        Assert.Equal("Unhealthy", checks.GetProperty("storage").GetProperty("status").GetString());
        Assert.Contains("cannot be reached", checks.GetProperty("storage").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_turns_503_naming_the_database_when_its_postgres_database_goes_away()
    {
        var database = MigratedDatabases.CreatePostgresDatabase();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = database,
        });
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/ready")).StatusCode);

        PostgresServer.Instance.DropDatabase(database);

        var checks = await AssertNotReadyAsync(client);
        Assert.Equal("Unhealthy", checks.GetProperty("database").GetProperty("status").GetString());
    }
}
