using System.Globalization;
using Keepsake.Accounts;
using Keepsake.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Keepsake.Photos;

/// <summary>A month of a view and how many of its photos fall in it, e.g. <c>{"month": "2024-07", "count": 123}</c>.</summary>
public sealed record TimelineBucketDto(string Month, int Count);

/// <summary>
/// The months of a view, for a client to lay out and scrub a long timeline without loading it. A month is the one of
/// the photo's place in the timeline (<c>TimelineAt</c>, UTC), so a bucket is one unbroken run of the view's pages: the
/// first photo of a month is the sum of the counts before it into the view.
/// </summary>
public static class TimelineBucketsApi
{
    public static void MapTimelineBuckets(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/timeline/buckets", GetBucketsAsync).WithTags("Photos").WithName("GetTimelineBuckets").RequireAuthorization();

    /// <summary>One entry per month with photos, newest first; the counts add up to the view's photos. Takes the timeline's filters.</summary>
    public static async Task<Ok<List<TimelineBucketDto>>> GetBucketsAsync(
        HttpContext context, KeepsakeDbContext db, bool? favorite, bool? archived, CancellationToken cancellationToken)
    {
        var months = await TimelineView.Of(db, context.User.UserId(), favorite, archived)
            .GroupBy(p => new { p.TimelineAt.Year, p.TimelineAt.Month })
            .Select(month => new { month.Key.Year, month.Key.Month, Count = month.Count() })
            .OrderByDescending(month => month.Year).ThenByDescending(month => month.Month)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(months.Select(m => new TimelineBucketDto(
            string.Create(CultureInfo.InvariantCulture, $"{m.Year:D4}-{m.Month:D2}"), m.Count)).ToList());
    }
}
