using System.Diagnostics;
using System.Net;
using Keepsake.Data;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Faults;

/// <summary>
/// A shared temporary folder that belongs to another OS user, as on a box where TMPDIR points at someone else's folder:
/// the server runs as <c>nobody</c> (setpriv) with TMPDIR a folder of root's it may read but not write. Before, every
/// upload answered 500 while readiness said 200.
/// </summary>
[Trait(Drill.Category, Drill.Name)]
[Trait(KeepsakeApp.Servers, KeepsakeApp.EmbeddedStackAlways)]
public sealed class ForeignTemporaryFolderTests
{
    private static readonly string[] AsNobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"];

    [Fact]
    public async Task A_temporary_folder_of_another_user_makes_the_server_unready_naming_the_setting_and_uploads_answer_503()
    {
        using var foreign = new TemporaryFolder();
        using var app = new KeepsakeApp(new Dictionary<string, string?>
        {
            ["Database:Provider"] = DatabaseOptions.Sqlite,
            ["Storage:Provider"] = "filesystem",
        });
        GiveToNobody(app.Folder.Path);
        var own = Directory.CreateDirectory(Path.Combine(app.Folder.Path, "staging")).FullName;
        GiveToNobody(own);
        var environment = new Dictionary<string, string?> { ["TMPDIR"] = foreign.Path };

        await using (var server = await ServerProcess.StartAsync(app, environment: environment, wrapper: AsNobody, waitUntilReady: false))
        {
            var owner = await server.SetUpOwnerAsync();
            using var probe = new HttpClient { BaseAddress = server.PublicAddress };
            using var readiness = await probe.GetAsync("/healthz/ready");
            var upload = await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
            Assert.Contains("Photos:StagingPath", await readiness.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var problem = await upload.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Server storage unavailable", problem.Title);
        }

        var settings = new Dictionary<string, string?> { ["Photos:StagingPath"] = own };
        await using (var server = await ServerProcess.StartAsync(app, settings, environment: environment, wrapper: AsNobody))
        {
            var owner = await server.LoginAsync();
            Assert.Equal(HttpStatusCode.Created, (await KeepsakeApp.UploadAsync(owner, TestData.Photo("gps-apple-iphone4.jpg"))).StatusCode);
            server.Terminate();
            await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(foreign.Path));
        Aftermath.AssertNoScratchFolders(own);
        await Aftermath.AssertFsckCleanAsync(app);
    }

    private static void GiveToNobody(string path)
    {
        using var chown = Process.Start("chown", ["-R", "nobody:nogroup", path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
