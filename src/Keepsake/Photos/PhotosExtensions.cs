using Keepsake.Hosting;
using Keepsake.Photos.Places;
using Keepsake.Storage;
using Microsoft.Extensions.Options;

namespace Keepsake.Photos;

public static class PhotosExtensions
{
    public static IHostApplicationBuilder AddKeepsakePhotos(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PhotosOptions>(PhotosOptions.Section);
        // NetVips binds to a libvips on first use, so the choice has to be made before anything else touches it.
        LibvipsLoader.Load();
        builder.Services.AddSingleton<ImageProcessor>();
        builder.Services.AddSingleton<PhotoMetadataReader>();
        builder.Services.AddKeepsakePlaces();
        builder.Services.AddSingleton<UploadStaging>();
        builder.Services.AddScratchArea(services => new ScratchArea(UploadStaging.Prefix, services.GetRequiredService<IOptions<PhotosOptions>>().Value.StagingPath));
        builder.Services.AddScratchArea(_ => new ScratchArea(LibvipsLoader.ModulesPrefix, Parent: null));
        builder.Services.AddScoped<PhotoIngestor>();
        builder.Services.AddSingleton<OriginalsZip>();
        builder.Services.AddSingleton<DerivedFiles>();
        builder.Services.AddScoped<LargeThumbnailBackfill>();
        builder.Services.AddValidatedOptions<PhotoUrlOptions>(PhotoUrlOptions.Section);
        builder.Services.AddSingleton<SignedPhotoUrls>();
        builder.Services.AddHealthChecks().AddCheck<WritableStorageHealthCheck>("writable-storage", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>The server's back-fill at start of the large thumbnails (see <see cref="LargeThumbnailBackfill"/>).</summary>
    public static IServiceCollection AddKeepsakeLargeThumbnailBackfill(this IServiceCollection services) =>
        services.AddHostedService<LargeThumbnailBackfillService>();
}
