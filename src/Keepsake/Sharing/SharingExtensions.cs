using Keepsake.Albums;
using Microsoft.AspNetCore.Identity;

namespace Keepsake.Sharing;

public static class SharingExtensions
{
    public static IServiceCollection AddKeepsakeSharing(this IServiceCollection services)
    {
        services.AddScoped<ShareAccess>();
        services.AddScoped<IAlbumDeletingHandler, ShareLinkRelease>();
        services.AddSingleton<ShareLinkCache>();
        services.AddSingleton<SharedPhotoFiles>();
        services.AddSingleton<IPasswordHasher<ShareLink>, PasswordHasher<ShareLink>>();
        return services;
    }
}
