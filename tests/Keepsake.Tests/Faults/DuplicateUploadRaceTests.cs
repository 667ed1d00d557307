using System.Net;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// Twenty uploads of one photo at once, the way a phone retrying on a bad network sends them. The race is expected and
/// handled (one photo stored, the others told it is a duplicate); before, it logged 76 Error lines with stack traces.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class DuplicateUploadRaceTests
{
    [Fact]
    public async Task Twenty_uploads_of_one_photo_at_once_store_it_once_and_log_no_error_or_stack_trace()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app);
        var owner = await server.SetUpOwnerAsync();
        var photo = await File.ReadAllBytesAsync(TestData.Photo("gps-apple-iphone4.jpg"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            using var response = await KeepsakeApp.UploadAsync(owner, [("same.jpg", photo)]);
            return response.StatusCode;
        })));

        Assert.All(answers, status => Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"an upload got {status}"));
        Assert.Single(answers, status => status == HttpStatusCode.Created);
        Assert.Single((await owner.GetPageAsync("/api/photos")).Items);
        Assert.DoesNotContain(server.Lines, line => line.Contains("\"level\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"exception\"", StringComparison.Ordinal));
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
