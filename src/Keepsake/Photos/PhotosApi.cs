using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Data;
using Keepsake.Observability;
using Keepsake.Photos.Trash;
using Keepsake.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Keepsake.Photos;

public static class PhotosApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapPhotos(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/photos").WithTags("Photos").RequireAuthorization();
        group.MapGet("/", GetTimelineAsync).WithName("GetTimeline");
        // The body limit is Photos:MaxRequestBytes, set per request in UploadAsync.
        group.MapPost("/", UploadAsync).WithName("UploadPhotos")
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .Accepts<UploadPhotosForm>("multipart/form-data")
            .AllowUploadKeys();
        group.MapGet("/{id:guid}", GetPhotoAsync).WithName("GetPhoto");
        group.MapGet("/{id:guid}/{variant}", GetFileAsync).WithName("GetPhotoFile").ProducesPhotoFile();
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeletePhoto");
        group.MapPhotoMarks();
        group.MapPhotoDescription();
        group.MapPhotoExistence();
        return group;
    }

    /// <summary>
    /// The signed-in user's photos, newest first: the main timeline leaves out archived photos; <paramref name="favorite"/>
    /// true lists the favourites only (archived ones too), <paramref name="archived"/> true the archive only and false
    /// what is not archived. <paramref name="month"/> (<c>yyyy-MM</c>) keeps one month of the timeline, the same month as
    /// the buckets of <c>/api/timeline/buckets</c>, so a client can load the part of a long timeline it scrolled to.
    /// </summary>
    public static async Task<Results<Ok<PhotoPageDto>, ProblemHttpResult>> GetTimelineAsync(
        HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, string? cursor, int? limit, bool? favorite, bool? archived,
        string? month, CancellationToken cancellationToken)
    {
        var query = TimelineView.Of(db, context.User.UserId(), favorite, archived);
        if (month is not null)
        {
            if (!TimelineMonth.TryParse(month, out var start))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid month",
                    detail: $"'month' must be a year and month as yyyy-MM, such as 2024-07; '{month}' is not one.");
            }
            var end = start.AddMonths(1);
            query = query.Where(p => p.TimelineAt >= start && p.TimelineAt < end);
        }
        return await PageAsync(query, cursor, limit, OwnerLinks(context, urls), cancellationToken);
    }

    /// <summary>Links for the signed-in user to their own photos.</summary>
    public static PhotoLinks OwnerLinks(HttpContext context, SignedPhotoUrls urls) =>
        new("/api/photos", urls, PhotoViewer.User(context.User.UserId()), context.User.UserId());

    /// <summary>One page of photos, newest first, after <paramref name="cursor"/>; shared by albums and share links.</summary>
    public static async Task<Results<Ok<PhotoPageDto>, ProblemHttpResult>> PageAsync(
        IQueryable<Photo> query, string? cursor, int? limit, PhotoLinks links, CancellationToken cancellationToken)
    {
        if (PageProblem(cursor, limit, out var size, out var start) is { } problem)
        {
            return problem;
        }
        if (start is { } after)
        {
            // The first bound alone is a range on the timeline index, so PostgreSQL starts the scan at the cursor instead of
            // reading and discarding every newer photo; the second orders the ties.
            query = query.Where(p => p.TimelineAt <= after.At && (p.TimelineAt < after.At || p.Id.CompareTo(after.Id) < 0));
        }
        var photos = await query.OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id).Take(size + 1).ToListAsync(cancellationToken);
        var next = photos.Count > size ? new TimelineCursor(photos[size - 1].TimelineAt, photos[size - 1].Id).Encode() : null;
        return TypedResults.Ok(new PhotoPageDto(photos.Take(size).Select(p => p.ToSummary(links)).ToList(), next));
    }

    /// <summary>Why a page's <paramref name="cursor"/> or <paramref name="limit"/> cannot be used, if they cannot; else its size and where it starts.</summary>
    public static ProblemHttpResult? PageProblem(string? cursor, int? limit, out int size, out TimelineCursor? after)
    {
        size = limit ?? DefaultPageSize;
        after = null;
        if (size is < 1 or > MaxPageSize)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid page size",
                detail: $"'limit' must be between 1 and {MaxPageSize}.");
        }
        if (cursor is null)
        {
            return null;
        }
        if (!TimelineCursor.TryDecode(cursor, out var decoded))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid cursor",
                detail: "The 'cursor' is not one this server issued; start again from the first page.");
        }
        after = decoded;
        return null;
    }

    /// <summary>
    /// Stages the parts one after the other, each checked as it streams in (format, per-photo limit, what is left of
    /// the request cap, free space), and stops at the first refusal without reading the rest of the body. Only then
    /// are the staged files decoded and stored, all or none.
    /// </summary>
    public static async Task<Results<Created<UploadResponseDto>, Ok<UploadResponseDto>, ProblemHttpResult>> UploadAsync(
        HttpContext context, PhotoIngestor ingestor, UploadStaging staging, IOptions<PhotosOptions> options, KeepsakeMetrics metrics, SignedPhotoUrls urls,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            metrics.UploadFailed(UploadFailureReason.NotMultipart);
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Not a file upload",
                detail: "Send photos as multipart/form-data, one file part per photo.");
        }
        var limits = options.Value;
        if (request.ContentLength > limits.MaxRequestBytes)
        {
            return Refused(metrics, UploadRejections.RequestTooLarge(limits.MaxRequestBytes), fileName: null);
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // Also cuts a chunked body whose parts are not files, which are never staged and so never counted.
            bodyLimit.MaxRequestBodySize = limits.MaxRequestBytes;
        }
        if (staging.CheckFreeSpace(pendingBytes: 0) is { } noSpace)
        {
            return Refused(metrics, noSpace, fileName: null);
        }

        var staged = new List<StagedFile>();
        // Only while the body is read does an I/O error mean a malformed or abandoned upload.
        var reading = true;
        try
        {
            var budget = new UploadBudget(limits.MaxRequestBytes);
            var reader = new MultipartReader(boundary, request.Body);
            var parts = 0;
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
            {
                if (++parts > limits.MaxFilesPerRequest)
                {
                    return Refused(metrics, UploadRejections.TooManyFiles(limits.MaxFilesPerRequest), fileName: null);
                }
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }
                var fileName = PhotoIngestor.SafeFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "photo");
                var (file, rejection) = await ingestor.StageAsync(section.Body, fileName, budget, cancellationToken);
                if (rejection is not null)
                {
                    return Refused(metrics, rejection, fileName);
                }
                staged.Add(file!);
            }
            if (staged.Count == 0)
            {
                metrics.UploadFailed(UploadFailureReason.NoFile);
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No photo in the request",
                    detail: "The upload holds no file; add at least one photo as a file part.");
            }

            reading = false;
            var result = await ingestor.IngestAsync(context.User.UserId(), staged, cancellationToken);
            if (result.Rejection is not null)
            {
                return Refused(metrics, result.Rejection, result.RejectedFileName!);
            }
            foreach (var photo in result.Photos)
            {
                metrics.PhotoUploaded(photo.Duplicate, photo.Photo.SizeBytes);
            }
            var response = new UploadResponseDto(result.Photos.Select(p => new UploadedPhotoDto(p.FileName, p.Duplicate, p.Photo.ToDetails(OwnerLinks(context, urls)))).ToList());
            return result.Photos.All(p => p.Duplicate)
                ? TypedResults.Ok(response)
                : TypedResults.Created((string?)null, response);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server cut the body at Photos:MaxRequestBytes.
            return Refused(metrics, UploadRejections.RequestTooLarge(limits.MaxRequestBytes), fileName: null);
        }
        catch (Exception e) when (reading && e is InvalidDataException or IOException && StorageFault.Classify(e) is null)
        {
            // A malformed body, or a client that went away mid-upload: staged files are removed below. A full or
            // read-only disk is the server's fault and goes on to its own handler (507 or 503).
            metrics.UploadFailed(UploadFailureReason.Malformed);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed upload",
                detail: "The upload could not be read to the end; nothing was stored.");
        }
        finally
        {
            foreach (var file in staged)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>The problem a refused upload answers with, counted as a failure; resumable uploads answer the same.</summary>
    public static ProblemHttpResult Refused(KeepsakeMetrics metrics, Rejection rejection, string? fileName)
    {
        metrics.UploadFailed(FailureReason(rejection));
        return TypedResults.Problem(statusCode: rejection.Status, title: rejection.Title, detail: rejection.Detail,
            extensions: fileName is null ? null : new Dictionary<string, object?> { ["fileName"] = fileName });
    }

    /// <summary>
    /// Ingests one staged photo that came without a form (a resumable upload's parts, a WebDAV PUT) and counts it as a
    /// form upload's would be: the photo, or the problem it was refused with. Not cancelled: the bytes are here, so the
    /// photo is stored even if the client went away meanwhile.
    /// </summary>
    public static async Task<(IngestedPhoto? Photo, ProblemHttpResult? Refusal)> IngestOneAsync(
        PhotoIngestor ingestor, KeepsakeMetrics metrics, Guid ownerId, StagedFile staged, string fileName)
    {
        var result = await ingestor.IngestAsync(ownerId, [staged], CancellationToken.None);
        if (result.Rejection is not null)
        {
            return (null, Refused(metrics, result.Rejection, fileName));
        }
        var photo = result.Photos[0];
        metrics.PhotoUploaded(photo.Duplicate, photo.Photo.SizeBytes);
        return (photo, null);
    }

    /// <summary>A fixed word per kind of rejection, for the failures metric.</summary>
    private static string FailureReason(Rejection rejection) => rejection.Reason ?? rejection.Status switch
    {
        StatusCodes.Status413PayloadTooLarge => UploadFailureReason.TooLarge,
        StatusCodes.Status415UnsupportedMediaType => UploadFailureReason.UnsupportedFormat,
        _ => UploadFailureReason.Unreadable,
    };

    public static async Task<Results<Ok<PhotoDetailsDto>, NotFound>> GetPhotoAsync(
        Guid id, HttpContext context, KeepsakeDbContext db, IPhotoWeather weather, SignedPhotoUrls urls, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        var photo = await db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OwnerId == userId, cancellationToken);
        if (photo is null)
        {
            return TypedResults.NotFound();
        }
        var weatherByPhoto = await weather.ForPhotosAsync([photo], cancellationToken);
        return TypedResults.Ok(photo.ToDetails(OwnerLinks(context, urls)) with { Weather = weatherByPhoto.GetValueOrDefault(photo.Id) });
    }

    public static async Task<IResult> GetFileAsync(
        Guid id, string variant, HttpContext context, KeepsakeDbContext db, IBlobStore blobs, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId();
        if (!PhotoFiles.TryParseVariant(variant, out var kind))
        {
            return TypedResults.NotFound();
        }
        var photo = await db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OwnerId == userId, cancellationToken);
        return photo is null ? TypedResults.NotFound() : await PhotoFiles.ServeAsync(context, blobs, photo, kind, cancellationToken);
    }

    /// <summary>Puts the photo in the trash (<see cref="TrashApi"/>): out of every view at once, deleted for good after the trash's retention.</summary>
    public static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, HttpContext context, KeepsakeDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        await TrashApi.MoveOneToTrashAsync(context.User.UserId(), id, db, time, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
