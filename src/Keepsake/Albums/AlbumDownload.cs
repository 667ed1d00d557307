using System.IO.Compression;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Albums;

/// <summary>"Download all": an album's originals as one zip, streamed as it is made, named after the album.</summary>
public static class AlbumDownload
{
    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, OriginalsZip originals, CancellationToken cancellationToken)
    {
        if (await AlbumsApi.OwnedAlbum(db, context, id).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken) is not { } name)
        {
            return AlbumsApi.AlbumNotFound();
        }
        OriginalsZip.AllowEntryDescriptors(context);
        return TypedResults.Stream(async body =>
        {
            await using var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, context.RequestAborted);
            await originals.AddAsync(zip, AlbumsApi.PhotosOf(db, id), "", context.RequestAborted);
        }, "application/zip", OriginalsZip.SafeFileName(name + ".zip", id, "zip"));
    }
}
