using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Photos;
using Keepsake.Sharing;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Storage;
using Npgsql;

namespace Keepsake.Tests.Operations;

/// <summary>
/// Two <c>keepsake</c> OS processes, as two replicas behind a load balancer, on one PostgreSQL database, one
/// S3 bucket and one Redis (the scale stack's servers, whichever stack the rest of the run uses). They
/// share nothing in memory: what one does, the other must see at once.
/// </summary>
public sealed class TwoReplicas : IAsyncLifetime
{
    private readonly TemporaryFolder _folder = new();

    public string Database { get; } = MigratedDatabases.CreatePostgresDatabase();

    public ServerProcess First { get; private set; } = null!;

    public ServerProcess Second { get; private set; } = null!;

    /// <summary>The owner's browser: one cookie jar, whichever replica answers.</summary>
    public CookieContainer OwnerCookies { get; } = new();

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(S3Server.Shared.Settings(await S3Server.Shared.CreateBucketAsync()))
        {
            ["Database:Provider"] = "postgres",
            ["DataProtection:KeyEncryptionKey"] = KeepsakeApp.TestKeyEncryptionKey,
            ["Database:ConnectionString"] = Database,
            ["Cache:Redis"] = RedisServer.Instance.Configuration,
            ["Cache:InstanceName"] = $"replicas-{Guid.NewGuid():N}:",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // One after the other, as a rolling deployment does: the first makes the data-protection key, the second reads it.
        First = await ServerProcess.StartAsync(_folder.Path, settings);
        Second = await ServerProcess.StartAsync(_folder.Path, settings);
        using var owner = First.CreateBrowserClient(OwnerCookies);
        await (await owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        PostgresServer.Instance.DropDatabase(Database);
        _folder.Dispose();
    }
}

[Trait(Drill.Category, Drill.Name)]
[Trait(KeepsakeApp.Servers, KeepsakeApp.ScaleStackAlways)]
public sealed class TwoReplicasTests(TwoReplicas replicas) : IClassFixture<TwoReplicas>
{
    private HttpClient OwnerOn(ServerProcess replica) => replica.CreateBrowserClient(replicas.OwnerCookies);

    private static HttpClient VisitorOn(ServerProcess replica) => replica.CreateBrowserClient(new CookieContainer());

    private async Task<(AlbumDto Album, CreatedShareDto Share)> SharedAlbumAsync(HttpClient owner, string name)
    {
        var created = await owner.PostAsJsonAsync("/api/albums", new AlbumNameDto(name));
        await created.EnsureSuccessAsync();
        var album = (await created.Content.ReadFromJsonAsync<AlbumDto>())!;
        var shared = await owner.PostAsJsonAsync($"/api/albums/{album.Id}/shares", new CreateShareDto(null, null));
        await shared.EnsureSuccessAsync();
        return (album, (await shared.Content.ReadFromJsonAsync<CreatedShareDto>())!);
    }

    [Fact]
    public async Task A_photo_uploaded_through_one_replica_is_listed_and_served_by_the_other()
    {
        using var first = OwnerOn(replicas.First);
        using var second = OwnerOn(replicas.Second);
        var path = TestData.Photo("gps-apple-iphone4.jpg");

        var photo = await KeepsakeApp.UploadPhotoAsync(first, path);

        var page = await second.GetFromJsonAsync<PhotoPageDto>("/api/photos?limit=100");
        Assert.Contains(page!.Items, p => p.Id == photo.Id);
        Assert.Equal(await File.ReadAllBytesAsync(path), await second.GetByteArrayAsync(photo.OriginalUrl));
        using var thumbnail = await second.GetAsync(photo.ThumbnailUrl);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_login_cookie_from_one_replica_is_accepted_by_the_other()
    {
        var cookies = new CookieContainer();
        using var first = replicas.First.CreateBrowserClient(cookies);
        using var second = replicas.Second.CreateBrowserClient(cookies);
        using (var anonymous = await second.GetAsync("/api/auth/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        await (await first.PostAsJsonAsync("/api/auth/login", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();

        using var me = await second.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("owner@example.com", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A write needs an antiforgery token made on the first replica to be accepted too (the same key ring).
        var created = await second.PostAsJsonAsync("/api/albums", new AlbumNameDto("From the second replica"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task An_album_renamed_through_one_replica_shows_its_new_name_through_the_other_at_once()
    {
        using var first = OwnerOn(replicas.First);
        using var second = OwnerOn(replicas.Second);
        using var visitor = VisitorOn(replicas.Second);
        var (album, share) = await SharedAlbumAsync(first, "Summer");
        Assert.Equal("Summer", (await second.GetFromJsonAsync<AlbumDto>($"/api/albums/{album.Id}"))!.Name);
        Assert.Equal("Summer", (await visitor.GetFromJsonAsync<SharedAlbumDto>($"/api/s/{share.Token}"))!.Name);

        await (await first.PutAsJsonAsync($"/api/albums/{album.Id}", new AlbumNameDto("Summer in Crete"))).EnsureSuccessAsync();

        Assert.Equal("Summer in Crete", (await second.GetFromJsonAsync<AlbumDto>($"/api/albums/{album.Id}"))!.Name);
        Assert.Contains((await second.GetFromJsonAsync<List<AlbumDto>>("/api/albums"))!, a => a.Id == album.Id && a.Name == "Summer in Crete");
        Assert.Equal("Summer in Crete", (await visitor.GetFromJsonAsync<SharedAlbumDto>($"/api/s/{share.Token}"))!.Name);
    }

    [Fact]
    public async Task A_share_link_revoked_through_one_replica_is_refused_by_the_other_at_once()
    {
        using var first = OwnerOn(replicas.First);
        using var visitor = VisitorOn(replicas.Second);
        var (_, share) = await SharedAlbumAsync(first, "Wedding");
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);

        await (await first.DeleteAsync($"/api/shares/{share.Id}")).EnsureSuccessAsync();

        using var refused = await visitor.GetAsync($"/api/s/{share.Token}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/api/s/{share.Token}/photos")).StatusCode);
    }

    [Fact]
    public async Task A_share_link_is_served_from_the_shared_cache_until_a_replica_revokes_it_through_the_api()
    {
        using var first = OwnerOn(replicas.First);
        using var visitor = VisitorOn(replicas.Second);
        var (_, share) = await SharedAlbumAsync(first, "Cached");
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);

        // Revoked behind Keepsake's back: the replicas still find the link in Redis, which proves they read it there.
        await RevokeInDatabaseAsync(share.Id);
        Assert.Equal(HttpStatusCode.OK, (await VisitorOn(replicas.First).GetAsync($"/api/s/{share.Token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);

        await (await first.DeleteAsync($"/api/shares/{share.Id}")).EnsureSuccessAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await VisitorOn(replicas.First).GetAsync($"/api/s/{share.Token}")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_shared_album_through_one_replica_ends_its_links_on_the_other_at_once()
    {
        using var first = OwnerOn(replicas.First);
        using var visitor = VisitorOn(replicas.Second);
        var (album, share) = await SharedAlbumAsync(first, "Short-lived");
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);

        await (await first.DeleteAsync($"/api/albums/{album.Id}")).EnsureSuccessAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/api/s/{share.Token}")).StatusCode);
    }

    private async Task RevokeInDatabaseAsync(Guid shareId)
    {
        await using var connection = new NpgsqlConnection(replicas.Database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE share_links SET \"RevokedAt\" = now() WHERE \"Id\" = @id";
        command.Parameters.AddWithValue("id", shareId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
