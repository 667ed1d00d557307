using System.Diagnostics;
using System.Globalization;
using Keepsake.Map;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Map;

public static class MapTestKit
{
    public static async Task<MapMarkerPageDto> MarkersAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/map/markers" + query)).ReadAsync<MapMarkerPageDto>();

    /// <summary>A tiny photo of <paramref name="name"/> taken at <paramref name="takenAt"/> (yyyy:MM:dd HH:mm:ss) at a place, uploaded.</summary>
    public static async Task<PhotoDetailsDto> UploadTakenAtAsync(HttpClient client, TemporaryFolder folder, string name, double latitude, double longitude, string takenAt)
    {
        var target = Path.Combine(folder.Path, name + ".jpg");
        var start = new ProcessStartInfo("exiftool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "-q", $"-DateTimeOriginal={takenAt}",
            $"-GPSLatitude={Math.Abs(latitude).ToString(CultureInfo.InvariantCulture)}", $"-GPSLatitudeRef={(latitude < 0 ? "S" : "N")}",
            $"-GPSLongitude={Math.Abs(longitude).ToString(CultureInfo.InvariantCulture)}", $"-GPSLongitudeRef={(longitude < 0 ? "W" : "E")}",
            "-o", target, TestData.Photo("tiny-1x1-apple-iphone-xr.jpg"),
        })
        {
            start.ArgumentList.Add(argument);
        }
        using (var process = Process.Start(start)!)
        {
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, "exiftool: " + error);
        }
        return await KeepsakeApp.UploadPhotoAsync(client, target);
    }
}
