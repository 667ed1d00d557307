using System.Net;
using System.Net.Http.Json;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task The_owner_uploads_a_photo_and_finds_it_in_the_timeline()
    {
        using var app = new KeepsakeApp();
        var owner = await app.CreateOwnerAsync();

        var photo = await KeepsakeApp.UploadPhotoAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));
        var page = await owner.GetFromJsonAsync<PhotoPageDto>("/api/photos");

        Assert.Equal(photo.Id, Assert.Single(page!.Items).Id);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(photo.ThumbnailUrl)).StatusCode);
    }

    [Fact]
    public async Task The_cli_lists_the_owner_created_through_the_api()
    {
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("first@example.com");

        var result = await CliRunner.RunAsync(app, "user list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.StartsWith("first@example.com\tadmin", StringComparison.Ordinal));
    }
}
