using Keepsake.Accounts;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary>The admin sees how many photos each user stores and how many bytes their originals take, the trash included.</summary>
public sealed class AdminUsageTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Usage_counts_each_users_photos_and_original_bytes_with_those_in_the_trash()
    {
        var email = shared.NewEmail("usage");
        var user = await shared.NewUserAsync(email);
        var emptyEmail = shared.NewEmail("empty");
        await shared.NewUserAsync(emptyEmail);
        var files = new[] { TestData.Photo("gps-fujifilm-finepix-s2pro.jpg"), TestData.Photo("alpha.png") };
        var photos = new List<PhotoDetailsDto>();
        foreach (var file in files)
        {
            photos.Add(await KeepsakeApp.UploadPhotoAsync(user, file));
        }
        await (await user.DeleteAsync($"/api/photos/{photos[1].Id}")).EnsureSuccessAsync();
        var users = await (await shared.Admin.GetAsync("/api/admin/users")).ReadAsync<List<UserDto>>();

        var usage = await (await shared.Admin.GetAsync("/api/admin/usage")).ReadAsync<List<UserUsageDto>>();

        var mine = Assert.Single(usage, u => u.UserId == users.Single(u => u.Email == email).Id);
        Assert.Equal((2, files.Sum(f => new FileInfo(f).Length), 1), (mine.Photos, mine.OriginalBytes, mine.PhotosInTrash));
        Assert.DoesNotContain(usage, u => u.UserId == users.Single(u => u.Email == emptyEmail).Id);
    }
}
