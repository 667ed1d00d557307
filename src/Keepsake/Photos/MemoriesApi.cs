using System.Globalization;
using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>The photos of one earlier year taken on the day asked for.</summary>
public sealed record MemoryYearDto(int Year, int YearsAgo, IReadOnlyList<PhotoSummaryDto> Photos);

public sealed record MemoriesDto(string Date, IReadOnlyList<MemoryYearDto> Years);

/// <summary>On this day: photos taken on today's calendar day in earlier years, for a strip above the timeline.</summary>
public static class MemoriesApi
{
    /// <summary>Most photos shown for one year; a client opens the day in the timeline for the rest.</summary>
    public const int MostPhotosPerYear = 24;

    public static void MapMemories(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/memories", GetMemoriesAsync).WithTags("Photos").WithName("GetMemories").RequireAuthorization();

    /// <summary>
    /// The main timeline's photos (not archived, not in the trash) taken on the month and day of <paramref name="date"/>
    /// (yyyy-MM-dd, the client's own today; the server's UTC day when left out) in the years before it, the latest
    /// year first. The day a photo was taken is the camera's own calendar day when the file records one.
    /// </summary>
    public static async Task<Results<Ok<MemoriesDto>, ProblemHttpResult>> GetMemoriesAsync(
        HttpContext context, KeepsakeDbContext db, SignedPhotoUrls urls, TimeProvider time, string? date, CancellationToken cancellationToken)
    {
        DateOnly day;
        if (date is null)
        {
            day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid date",
                detail: $"'date' must be a day written as yyyy-MM-dd, such as 2024-07-14; '{date}' is not.");
        }
        var (year, month, dayOfMonth) = (day.Year, day.Month, day.Day);
        var photos = await TimelineView.Of(db, context.User.UserId(), favorite: null, archived: null)
            .Where(p => (p.TakenAt ?? p.TimelineAt).Month == month && (p.TakenAt ?? p.TimelineAt).Day == dayOfMonth && (p.TakenAt ?? p.TimelineAt).Year < year)
            .OrderByDescending(p => p.TimelineAt).ThenByDescending(p => p.Id)
            .ToListAsync(cancellationToken);
        var links = PhotosApi.OwnerLinks(context, urls);
        var years = photos.GroupBy(p => (p.TakenAt ?? p.TimelineAt).Year)
            .OrderByDescending(g => g.Key)
            .Select(g => new MemoryYearDto(g.Key, year - g.Key, g.Take(MostPhotosPerYear).Select(p => p.ToSummary(links)).ToList()))
            .ToList();
        return TypedResults.Ok(new MemoriesDto(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), years));
    }
}
