using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Keepsake.Tests.Security;

/// <summary>One real server that every hostile upload of the class is thrown at.</summary>
public sealed class HostileFileServer : IAsyncLifetime
{
    private readonly KeepsakeApp _app = new();
    private int _users;

    public ServerProcess Server { get; private set; } = null!;

    public HttpClient Owner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(_app);
        Owner = Server.CreateBrowserClient();
        await (await Owner.PostAsJsonAsync("/api/setup", new CredentialsDto("owner@example.com", KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
    }

    /// <summary>A new signed-in user, so each test starts from an empty library.</summary>
    public async Task<HttpClient> CreateUserAsync()
    {
        var email = $"attacker{Interlocked.Increment(ref _users)}@example.com";
        await (await Owner.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, false))).EnsureSuccessAsync();
        var user = Server.CreateBrowserClient();
        await (await user.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return user;
    }

    public async Task DisposeAsync()
    {
        Owner.Dispose();
        await Server.DisposeAsync();
        _app.Dispose();
    }
}

/// <summary>
/// Files built to crash or exhaust the metadata readers and decoders, uploaded over HTTP by a signed-in
/// user. Each is refused with a problem a person understands, or stored without its metadata; the
/// server lives on, and its peak memory while it handles the file stays under 1 GB.
/// </summary>
public sealed class HostileFileTests(HostileFileServer fixture, ITestOutputHelper output) : IClassFixture<HostileFileServer>
{
    private const long PeakLimitBytes = 1L << 30;

    [Fact]
    public async Task A_tiff_with_nested_subifds_is_rejected_and_the_server_lives()
    {
        var tiff = HostileFiles.TiffWithNestedSubIfds(100_000);
        Assert.InRange(tiff.Length, 1_700_000, 1_900_000);

        await AssertRefusedAsStructureAsync("tiff-nested-subifds", "nested.tif", tiff);
    }

    [Fact]
    public async Task A_multi_page_tiff_whose_page_chain_is_100000_long_is_rejected_and_the_server_lives() =>
        await AssertRefusedAsStructureAsync("tiff-page-chain", "pages.tif", HostileFiles.TiffWithPageChain(100_000));

    [Fact]
    public async Task A_jpeg_whose_exif_nests_ifds_as_deep_as_64_kb_allows_is_stored_without_metadata()
    {
        await AssertStoredWithoutMetadataAsync("jpeg-exif-nested", "nested.jpg", HostileFiles.JpegWithNestedExif(HostileFiles.JpegHost));

        AssertLogged("Ignored the EXIF of a jpeg file");
    }

    [Fact]
    public async Task A_png_whose_ztxt_chunk_inflates_to_1_gb_is_stored_without_the_text_and_memory_stays_low() =>
        await AssertStoredWithoutMetadataAsync("png-ztxt-bomb", "ztxt.png", HostileFiles.PngWithZtxtBomb());

    [Fact]
    public async Task A_png_whose_icc_profile_inflates_to_1_gb_is_stored_without_it_and_memory_stays_low() =>
        await AssertStoredWithoutMetadataAsync("png-iccp-bomb", "iccp.png", HostileFiles.PngWithIccpBomb());

    [Fact]
    public async Task A_png_whose_compressed_xmp_text_inflates_to_1_gb_is_stored_without_it_and_memory_stays_low() =>
        await AssertStoredWithoutMetadataAsync("png-itxt-bomb", "itxt.png", HostileFiles.PngWithItxtBomb());

    [Fact]
    public async Task A_png_whose_exif_chunk_nests_50000_subifds_is_stored_without_metadata()
    {
        await AssertStoredWithoutMetadataAsync("png-exif-nested", "exif.png", HostileFiles.PngWithNestedExif(50_000));

        AssertLogged("Ignored the EXIF of a png file");
    }

    [Fact]
    public async Task A_webp_whose_exif_chunk_nests_50000_subifds_is_stored_without_metadata()
    {
        await AssertStoredWithoutMetadataAsync("webp-exif-nested", "exif.webp", HostileFiles.WebpWithNestedExif(HostileFiles.WebpHost, 50_000));

        AssertLogged("Ignored the EXIF of a webp file");
    }

    [Fact]
    public async Task A_tiff_whose_entries_name_one_4_mb_block_a_thousand_times_is_rejected_and_the_server_lives() =>
        await AssertRefusedAsStructureAsync("tiff-overlapping-values", "overlap.tif", HostileFiles.TiffNamingOneBlockOverAndOver(1000, 4 << 20));

    [Fact]
    public async Task An_interlaced_16_bit_png_within_the_pixel_limit_that_must_be_decoded_whole_is_rejected_from_its_header()
    {
        using var user = await fixture.CreateUserAsync();

        using var response = await UploadMeasuredAsync("png-interlaced-100mp", user, "interlaced.png", HostileFiles.InterlacedPng(10_000));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Photo needs too much memory to decode", problem.Title);
        Assert.Contains("'interlaced.png' is 10000×10000 pixels", problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await user.GetPageAsync("/api/photos")).Items);
    }

    [Fact]
    public async Task An_avif_with_boxes_nested_100000_deep_is_rejected_and_the_server_lives() =>
        await AssertRefusedAsStructureAsync("avif-nested-boxes", "nested.avif", HostileFiles.AvifWithNestedBoxes(100_000));

    private async Task AssertRefusedAsStructureAsync(string label, string fileName, byte[] content)
    {
        using var user = await fixture.CreateUserAsync();

        using var response = await UploadMeasuredAsync(label, user, fileName, content);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Unreadable photo structure", problem.Title);
        Assert.Contains(fileName, problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await user.GetPageAsync("/api/photos")).Items);
    }

    private async Task AssertStoredWithoutMetadataAsync(string label, string fileName, byte[] content)
    {
        using var user = await fixture.CreateUserAsync();

        using var response = await UploadMeasuredAsync(label, user, fileName, content);

        var stored = (await response.ReadAsync<UploadResponseDto>()).Photos.Single().Photo;
        Assert.Null(stored.TakenAt);
        Assert.Null(stored.Location);
        Assert.Equal(new CameraDto(null, null, null, null, null, null, null), stored.Camera);
        Assert.Single((await user.GetPageAsync("/api/photos")).Items);
    }

    /// <summary>Uploads one file with the server's peak RSS reset first, and checks the server survived and stayed small.</summary>
    private async Task<HttpResponseMessage> UploadMeasuredAsync(string label, HttpClient user, string fileName, byte[] content)
    {
        var server = fixture.Server;
        await File.WriteAllTextAsync($"/proc/{server.Id}/clear_refs", "5");
        HttpResponseMessage response;
        try
        {
            response = await KeepsakeApp.UploadAsync(user, [(fileName, content)]);
        }
        catch (HttpRequestException e)
        {
            throw new Xunit.Sdk.XunitException($"The server did not answer the upload of {label} ({e.Message}); exited: {server.HasExited}\n{Tail(server)}");
        }
        var peak = PeakResidentBytes(server.Id);
        output.WriteLine($"peak RSS {label}: {peak / (1024 * 1024)} MB ({content.Length / 1024} KB uploaded, answered {(int)response.StatusCode})");

        using var health = new HttpClient { BaseAddress = server.PublicAddress };
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/healthz/live")).StatusCode);
        Assert.True(peak < PeakLimitBytes, $"peak RSS {peak / (1024 * 1024)} MB while handling {label}");
        return response;
    }

    private void AssertLogged(string text) =>
        Assert.True(fixture.Server.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)), $"The server did not log '{text}':\n{Tail(fixture.Server)}");

    /// <summary>VmHWM: the most resident memory the process has had since its peak was last reset.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes * 1024;
    }

    private static string Tail(ServerProcess server) => string.Join('\n', server.Lines.TakeLast(30));
}
