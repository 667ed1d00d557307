using Keepsake.Photos;
using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Faults;

/// <summary>The photo files (originals, previews, thumbnails) in an app's blob store, wherever <c>Storage</c> puts it.</summary>
public static class StoredPhotoFiles
{
    public static async Task<IReadOnlyList<string>> ListAsync(KeepsakeApp app)
    {
        var store = app.Services.GetRequiredService<IBlobStore>();
        var keys = new List<string>();
        foreach (var prefix in PhotoBlobs.Prefixes)
        {
            await foreach (var blob in store.ListAsync(prefix, CancellationToken.None))
            {
                keys.Add(blob.Key);
            }
        }
        return keys;
    }
}
