using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Keepsake.Weather;

public static class WeatherApi
{
    public static IEndpointRouteBuilder MapWeather(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/weather").WithTags("Weather").RequireAuthorization()
            .MapGet("/photos", GetPhotosWeatherAsync).WithName("GetPhotosWeather");
        routes.MapGroup("/api/admin/weather").WithTags("Admin").RequireAuthorization(KeepsakeClaimsPrincipalFactory.AdminRole)
            .MapGet("/", GetStatusAsync).WithName("GetWeatherStatus");
        return routes;
    }

    /// <summary>The weather of those of the caller's photos (<c>?id=…&amp;id=…</c>) that have it; the timeline's day headings read it.</summary>
    public static async Task<Results<Ok<List<PhotoWeatherDto>>, ProblemHttpResult>> GetPhotosWeatherAsync(
        HttpContext context, KeepsakeDbContext db, WeatherLookup lookup, CancellationToken cancellationToken, Guid[]? id = null)
    {
        var ids = (id ?? []).Distinct().ToList();
        if (ids.Count > PhotosApi.MaxPageSize)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Too many photos",
                detail: $"Ask for the weather of at most {PhotosApi.MaxPageSize} photos at a time.");
        }
        var userId = context.User.UserId();
        var photos = await db.Photos.AsNoTracking()
            .Where(p => p.OwnerId == userId && ids.Contains(p.Id) && p.Latitude != null && p.TakenAt != null)
            .ToListAsync(cancellationToken);
        var weather = await lookup.ForPhotosAsync(photos, cancellationToken);
        return TypedResults.Ok(weather.Select(w => new PhotoWeatherDto(w.Key, w.Value)).OrderBy(w => w.PhotoId).ToList());
    }

    public static async Task<Ok<WeatherStatusDto>> GetStatusAsync(WeatherQueue queue, IOptions<WeatherOptions> options, CancellationToken cancellationToken)
    {
        var status = await queue.StatusAsync(cancellationToken);
        return TypedResults.Ok(new WeatherStatusDto(
            options.Value.Enabled,
            options.Value.BaseUrl,
            status.Queued,
            status.Waiting,
            status.Failing,
            Math.Round(status.OldestAge.TotalSeconds, 1),
            status.LastOutcome,
            status.StoredDays));
    }
}
