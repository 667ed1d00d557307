using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Photos;

/// <summary><c>POST /api/photos/exists</c>: which of a device's files the caller's library lacks, answered as the upload would dedupe.</summary>
public sealed class PhotoExistenceTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task The_answer_lists_only_the_hashes_the_library_lacks_and_a_trashed_photo_counts_as_held()
    {
        var user = await shared.NewUserAsync();
        var kept = await KeepsakeApp.UploadPhotoAsync(user, TestData.Photo("no-exif-casio.jpg"));
        var trashed = await KeepsakeApp.UploadPhotoAsync(user, TestData.Photo("alpha.png"));
        await (await user.DeleteAsync($"/api/photos/{trashed.Id}")).EnsureSuccessAsync();
        var lacking = HashOf("gps-apple-iphone4.jpg");

        var answer = await FindMissingAsync(user, HashOf("no-exif-casio.jpg").ToUpperInvariant(), HashOf("alpha.png"), lacking, lacking.ToUpperInvariant());

        Assert.Equal([lacking], answer);
        // What the answer promises, the upload keeps: the trashed photo's bytes dedupe to it (and bring it back), no new photo.
        var again = Assert.Single((await (await KeepsakeApp.UploadAsync(user, TestData.Photo("alpha.png"))).ReadAsync<UploadResponseDto>()).Photos);
        Assert.True(again.Duplicate);
        Assert.Equal(trashed.Id, again.Photo.Id);
        Assert.Equal(new[] { kept.Id, trashed.Id }.Order(), (await user.GetPageAsync("/api/photos")).Items.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task Another_users_photo_with_the_same_bytes_counts_as_missing()
    {
        var me = await shared.NewUserAsync();
        var other = await shared.NewUserAsync();
        await KeepsakeApp.UploadPhotoAsync(other, TestData.Photo("orientation-6-portrait.jpg"));
        var hash = HashOf("orientation-6-portrait.jpg");

        Assert.Equal([hash], await FindMissingAsync(me, hash));
        Assert.Empty(await FindMissingAsync(other, hash));
    }

    [Fact]
    public async Task Five_thousand_hashes_are_answered_in_one_request_and_one_more_is_refused()
    {
        var user = await shared.NewUserAsync();
        var hashes = Enumerable.Range(0, PhotoExistenceApi.MaxHashes).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();

        Assert.Equal(hashes, await FindMissingAsync(user, [.. hashes]));

        var tooMany = await user.PostAsJsonAsync("/api/photos/exists", new PhotoExistenceDto([.. hashes, HashOf("alpha.png")]));
        Assert.Contains("5001", (await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        var none = await user.PostAsJsonAsync("/api/photos/exists", new PhotoExistenceDto([]));
        Assert.Contains("1 to 5000", (await none.AssertProblemAsync(HttpStatusCode.BadRequest)).Detail, StringComparison.Ordinal);
        await (await user.PostAsJsonAsync("/api/photos/exists", new PhotoExistenceDto(null))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("not-hex-at-all")]
    [InlineData("zz3e43dbb8c5c3d7c2b4bb8fcd9d0a3b1e4f6a7b8c9d0e1f2a3b4c5d6e7f8a9b")]
    [InlineData("0123")]
    public async Task A_malformed_hash_is_refused_by_its_place_and_value(string malformed)
    {
        var user = await shared.NewUserAsync();

        var response = await user.PostAsJsonAsync("/api/photos/exists", new PhotoExistenceDto([HashOf("alpha.png"), malformed]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"sha256[1] is '{malformed}'", problem.Detail, StringComparison.Ordinal);
    }

    private static string HashOf(string photo) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(TestData.Photo(photo))));

    private static async Task<List<string>> FindMissingAsync(HttpClient user, params string[] hashes) =>
        (await (await user.PostAsJsonAsync("/api/photos/exists", new PhotoExistenceDto([.. hashes]))).ReadAsync<MissingPhotosDto>()).Missing;
}
