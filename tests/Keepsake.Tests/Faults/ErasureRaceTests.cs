using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Privacy;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// A GDPR erasure of a user whose phone and laptops are uploading at that moment: six uploaders race the erasure. Before
/// the fix an upload could write its files after the erasure had swept the user's folders, its row commit, and the row go
/// with the account: the files stayed for good (3 runs in 5).
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class ErasureRaceTests : IClassFixture<ErasureRaceTests.Library>
{
    private const int Uploaders = 6;
    private const int Rounds = 5;

    private static readonly byte[] Tiny = File.ReadAllBytes(TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"));

    private static int _variant;

    private readonly Library _library;

    public ErasureRaceTests(Library library) => _library = library;

    public sealed class Library : IAsyncLifetime
    {
        public KeepsakeApp App { get; } = new();

        /// <summary>A real server process: what it logs while the race runs is part of what is checked.</summary>
        public ServerProcess Server { get; private set; } = null!;

        public HttpClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Server = await ServerProcess.StartAsync(App);
            Admin = await Server.SetUpOwnerAsync();
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            App.Dispose();
        }
    }

    /// <summary>A photo no other upload of the run has sent: the tiny JPEG with a counter after its end.</summary>
    private static (string Name, byte[] Content) FreshPhoto()
    {
        var n = Interlocked.Increment(ref _variant);
        return ($"race-{n}.jpg", [.. Tiny, .. BitConverter.GetBytes(n)]);
    }

    [Fact]
    public async Task Erasing_a_user_while_six_uploaders_upload_leaves_no_file_of_theirs_and_never_answers_500()
    {
        var app = _library.App;
        var answers = new ConcurrentBag<(HttpStatusCode Status, string Body)>();
        for (var round = 0; round < Rounds; round++)
        {
            var email = $"racer-{round}@example.com";
            var created = await _library.Admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, IsAdmin: false));
            var user = await created.ReadAsync<UserDto>();
            var sessions = await Task.WhenAll(Enumerable.Range(0, Uploaders).Select(_ => _library.Server.LoginAsync(email)));
            var stored = 0;
            var erased = new TaskCompletionSource();

            async Task UploadUntilRefusedAsync(HttpClient session)
            {
                // Until the erasure has answered, then once more: every upload after it must be refused.
                while (true)
                {
                    var after = erased.Task.IsCompleted;
                    using var response = await KeepsakeApp.UploadAsync(session, [FreshPhoto(), FreshPhoto()]);
                    answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref stored);
                    }
                    if (after || response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        Assert.True(!after || response.StatusCode == HttpStatusCode.Unauthorized, $"an upload after the erasure got {response.StatusCode}");
                        return;
                    }
                }
            }

            var uploads = sessions.Select(session => Task.Run(() => UploadUntilRefusedAsync(session))).ToList();
            while (Volatile.Read(ref stored) < Uploaders)
            {
                await Task.Delay(10);
            }
            var erasure = await _library.Admin.DeleteAsync($"/api/admin/users/{user.Id}");
            erased.SetResult();
            await Task.WhenAll(uploads);

            Assert.True(erasure.StatusCode == HttpStatusCode.NoContent, $"the erasure answered {erasure.StatusCode}:\n{_library.Server.Output}");
            Assert.DoesNotContain(app.StoredFiles(), key => key.Contains(user.Id.ToString("N"), StringComparison.Ordinal) && !key.StartsWith(ErasureLedger.Prefix, StringComparison.Ordinal));
            await (await _library.Admin.DeleteAsync($"/api/admin/users/{user.Id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.All(answers, answer => Assert.True(answer.Status is HttpStatusCode.Created or HttpStatusCode.Unauthorized, $"an upload racing the erasure got {answer.Status}: {answer.Body}"));
        Assert.Contains(answers, answer => answer.Status == HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(_library.Server.Lines, line => line.Contains("\"level\":\"Error\"", StringComparison.Ordinal));
        await Aftermath.AssertFsckCleanAsync(app);
    }
}
