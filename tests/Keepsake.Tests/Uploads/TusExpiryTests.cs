using System.Net;
using Keepsake.Accounts;
using Keepsake.Integrity;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Keepsake.Tests.Photos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Uploads;

/// <summary>
/// Unfinished uploads: they expire a day after their last bytes, the server's sweep removes them, fsck tells their
/// parts from orphans, and an erasure takes them with the user. One app on a clock of the class's own.
/// </summary>
public sealed class TusExpiryTests(TusExpiryTests.ClockedApp shared) : IClassFixture<TusExpiryTests.ClockedApp>
{
    public sealed class ClockedApp() : SharedKeepsakeApp(Clock)
    {
        public static FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    }

    private static readonly byte[] Photo = File.ReadAllBytes(TestData.Photo("gps-apple-iphone4.jpg"));

    [Fact]
    public async Task An_unfinished_upload_expires_a_day_after_its_last_bytes_and_the_sweep_removes_its_parts()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        ClockedApp.Clock.Advance(TimeSpan.FromHours(20));
        var patch = await Tus.PatchAsync(user, upload, 0, Photo[..1000]);
        await patch.EnsureSuccessAsync();
        var expires = DateTimeOffset.Parse(patch.Header("Upload-Expires"), System.Globalization.CultureInfo.InvariantCulture);
        var fsckWhileInProgress = await FsckAsync();
        var partsWhileInProgress = PartsOf(upload);

        ClockedApp.Clock.Advance(TimeSpan.FromHours(23));
        var stillThere = await Tus.HeadAsync(user, upload);
        ClockedApp.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var expired = await Tus.HeadAsync(user, upload);
        var resumed = await Tus.PatchAsync(user, upload, 1000, Photo[1000..]);

        Assert.Equal(ClockedApp.Clock.GetUtcNow().AddMinutes(-1), expires, TimeSpan.FromSeconds(2));
        Assert.NotEmpty(partsWhileInProgress);
        Assert.DoesNotContain(fsckWhileInProgress.OrphanFiles, file => partsWhileInProgress.Contains(file.Key));
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        await resumed.AssertProblemAsync(HttpStatusCode.NotFound);
        await WaitUntilAsync(() => PartsOf(upload).Count == 0);
    }

    [Fact]
    public async Task Fsck_reports_the_parts_of_expired_uploads_and_of_uploads_whose_row_is_gone_and_a_repair_removes_them()
    {
        var user = await shared.NewUserAsync();
        var me = await (await user.GetAsync("/api/auth/me")).ReadAsync<UserDto>();
        var inProgress = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        await (await Tus.PatchAsync(user, inProgress, 0, Photo[..1000])).EnsureSuccessAsync();
        var rowless = $"uploads/{me.Id:N}/{Guid.NewGuid():N}/{0:D19}";
        await Store.WriteAsync(rowless, new MemoryStream([1, 2, 3]), CancellationToken.None);
        // Past the files' times, so none is too recent to be an orphan.
        ClockedApp.Clock.Advance(TimeSpan.FromMinutes(5));

        var report = await FsckAsync();
        var repaired = await FsckAsync(repair: true);

        Assert.Contains(report.OrphanFiles, file => file.Key == rowless);
        Assert.DoesNotContain(report.OrphanFiles, file => PartsOf(inProgress).Contains(file.Key));
        Assert.Contains(rowless, repaired.Removed);
        Assert.False(await Store.ExistsAsync(rowless, CancellationToken.None));
        Assert.Equal(1000, await Tus.OffsetAsync(user, inProgress));
    }

    [Fact]
    public async Task A_part_lost_from_the_store_ends_the_upload_with_410_and_a_clear_problem_and_stores_nothing()
    {
        var user = await shared.NewUserAsync();
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        await (await Tus.PatchAsync(user, upload, 0, Photo[..1000])).EnsureSuccessAsync();
        var lost = Assert.Single(PartsOf(upload));
        await Store.DeleteAsync(lost, CancellationToken.None);

        var last = await Tus.PatchAsync(user, upload, 1000, Photo[1000..]);

        var problem = await last.AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Equal("Upload lost", problem.Title);
        Assert.Contains("from byte 0", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Tus.HeadAsync(user, upload)).StatusCode);
        Assert.Empty(PartsOf(upload));
        Assert.Empty(await PhotoTestKit.TimelineAsync(user));
    }

    [Fact]
    public async Task Erasing_a_user_removes_their_uploads_in_progress()
    {
        var email = shared.NewEmail("leaving");
        var user = await shared.NewUserAsync(email);
        var upload = await Tus.CreateAsync(user, "beach.jpg", Photo.Length);
        await (await Tus.PatchAsync(user, upload, 0, Photo[..1000])).EnsureSuccessAsync();
        var users = await (await shared.Admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();

        await (await shared.Admin.DeleteAsync($"/api/admin/users/{users.Single(u => u.Email == email).Id}")).EnsureSuccessAsync();

        Assert.Empty(PartsOf(upload));
    }

    private async Task<FsckReport> FsckAsync(bool repair = false)
    {
        using var scope = shared.Server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Fsck>().RunAsync(repair, TimeSpan.Zero, CancellationToken.None);
    }

    /// <summary>The blob store of the server on the class's clock (the app's own would be a second server).</summary>
    private IBlobStore Store => shared.Server.Services.GetRequiredService<IBlobStore>();

    private List<string> PartsOf(Uri upload)
    {
        var id = upload.ToString().Split('/').Last();
        return Task.Run(async () => await Store.ListAsync("uploads/", CancellationToken.None).Select(b => b.Key).ToListAsync()).GetAwaiter().GetResult()
            .Where(key => key.Contains(id, StringComparison.Ordinal)).ToList();
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        for (var waited = 0; !done(); waited += 100)
        {
            Assert.True(waited < 10_000, "not done within 10 seconds");
            await Task.Delay(100);
        }
    }
}
