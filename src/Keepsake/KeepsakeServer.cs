using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Backups;
using Keepsake.Backups.Photos;
using Keepsake.Hosting;
using Keepsake.Integrity;
using Keepsake.Map;
using Keepsake.Observability;
using Keepsake.Photos;
using Keepsake.Photos.Places;
using Keepsake.Photos.Trash;
using Keepsake.Privacy;
using Keepsake.Search;
using Keepsake.Secrets;
using Keepsake.Sharing;
using Keepsake.Storage;
using Keepsake.Uploads;
using Keepsake.Weather;
using Keepsake.WebDav;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Keepsake;

/// <summary>The web server: the JSON API, health endpoints and the OpenAPI document.</summary>
public static partial class KeepsakeServer
{
    public static WebApplication Build(string[] args)
    {
        // Settings files sit next to the binary; data paths stay relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // First of the hosted services: the others (data protection's key ring among them) read the database.
        builder.Services.AddHostedService<EmbeddedDatabaseMigrator>();
        builder.Services.AddKeyRingSealingAtStart();
        builder.AddKeepsakeCore();
        builder.Services.AddScratchSweepAtStart();
        builder.AddKeepsakeObservability();
        builder.Services.AddHostedService<LibraryStatistics>();
        builder.Services.AddHostedService<BackupStatistics>();
        builder.Services.AddPhotoBackupStatistics();
        builder.Services.AddProblemDetails();
        builder.Services.AddKeepsakeOpenApi();
        builder.Services.AddKeepsakeReverseProxy();
        builder.Services.AddKeepsakeWebAccounts();
        builder.Services.AddKeepsakeBackupSchedule();
        builder.Services.AddPhotoBackupWarningAtStart();
        builder.Services.AddKeepsakeFsckSchedule();
        builder.Services.AddKeepsakeTrashPurgeSchedule();
        builder.Services.AddKeepsakePlaceBackfill();
        builder.Services.AddKeepsakeLargeThumbnailBackfill();
        builder.Services.AddKeepsakeWeatherWorker();
        builder.Services.AddKeepsakeMap();
        builder.Services.AddKeepsakeUploadExpirySchedule();
        builder.Services.AddKeepsakeWebDav();

        var app = builder.Build();
        app.UseKeepsakeReverseProxy();
        app.UseKeepsakeObservability();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Here, not first: a short-circuited endpoint (signed photo files) runs inside routing, so it still gets the
        // request log, the security headers and the exception handler, and skips everything below.
        app.UseRouting();
        app.UseKeepsakeRequestLimits();
        app.UseKeepsakeWebApp();
        app.UseAuthentication();
        app.UseMiddleware<AntiforgeryMiddleware>();
        app.UseAuthorization();

        app.MapKeepsakeHealth();
        app.MapOpenApi();
        app.MapAccounts();
        app.MapPhotos();
        app.MapUploads();
        app.MapTimelineBuckets();
        app.MapMemories();
        app.MapAdminUsage();
        app.MapTrash();
        app.MapPlaces();
        app.MapSignedPhotoFiles();
        app.MapAlbums();
        app.MapSearch();
        app.MapSharing();
        app.MapWeather();
        app.MapMap();
        app.MapPrivacy();
        app.MapPhotoBackups();
        app.MapWebDav();
        app.MapKeepsakeWebApp();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    private static void AnnounceAddresses(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (addresses.Count > 0)
        {
            LogReady(app.Logger, string.Join(", ", addresses), LibvipsLoader.Chosen);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Keepsake is ready at {Addresses} (libvips: {Libvips})")]
    private static partial void LogReady(ILogger logger, string addresses, string libvips);
}
