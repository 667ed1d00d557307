using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Operations;

/// <summary>
/// A fresh machine has no system libvips: the binary then falls back to the libvips it ships. The test
/// hides the system library from one process with a private mount namespace (<c>unshare</c>).
/// </summary>
[Trait(Drill.Category, Drill.Name)]
public sealed class LibvipsFallbackTests
{
    private const string SystemLibvips = "/usr/lib/x86_64-linux-gnu/libvips.so.42";

    [Fact]
    public async Task Without_a_system_libvips_jpeg_imports_and_heic_is_refused_with_a_reason_naming_the_fix()
    {
        Assert.True(File.Exists(SystemLibvips), "scripts/test.sh installs libvips42; this test hides it again.");
        using var app = new KeepsakeApp();
        await app.CreateOwnerAsync("owner@example.com");
        var folder = Path.Combine(app.Folder.Path, "phone");
        Directory.CreateDirectory(folder);
        File.Copy(TestData.Photo("gps-apple-iphone4.jpg"), Path.Combine(folder, "a.jpg"));
        File.Copy(TestData.Photo("apple-iphone11pro.heic"), Path.Combine(folder, "b.heic"));
        // As root a private mount namespace is enough; otherwise map the user to root in a user namespace.
        string[] unshare = Environment.UserName == "root" ? ["unshare", "--mount"] : ["unshare", "--map-root-user", "--mount"];
        string[] wrapper = [.. unshare, "sh", "-c", $"mount --bind /dev/null {SystemLibvips} && exec \"$@\"", "hide-libvips"];

        var result = await CliRunner.RunProcessAsync(app.Folder.Path, app.Environment, $"import {folder} --user owner@example.com", wrapper: wrapper);

        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains("imported a.jpg", result.Lines);
        Assert.Contains(result.Lines, l => l.StartsWith("failed b.heic:", StringComparison.Ordinal) && l.Contains("libvips42", StringComparison.Ordinal));
        Assert.Equal("imported 1, skipped 0, ignored 0, failed 1", result.Lines[^1]);
    }
}
