using System.Globalization;
using Keepsake.Photos;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keepsake.Map;

/// <summary>
/// A box on the map in degrees. <see cref="West"/> greater than <see cref="East"/> is a box across the antimeridian
/// (from 170 to -170 is the 20 degrees around the date line, not the 340 degrees between).
/// </summary>
public readonly record struct BoundingBox(double West, double South, double East, double North)
{
    public bool CrossesAntimeridian => West > East;
}

/// <summary>What a request for markers asks for, read from its query string; each bad parameter is a 400 that names it.</summary>
public sealed record MarkerFilter(BoundingBox? Box, DateTime? From, DateTime? Until, TimelineCursor? After, int Limit)
{
    public const int DefaultLimit = 5_000;

    /// <summary>The most markers in one answer: about 1.3 MB of JSON; a client pages for more.</summary>
    public const int MaxLimit = 20_000;

    public static ProblemHttpResult? TryRead(string? bbox, string? from, string? to, string? cursor, string? limit, out MarkerFilter filter)
    {
        filter = new MarkerFilter(null, null, null, null, DefaultLimit);
        BoundingBox? box = null;
        if (bbox is not null)
        {
            if (BoxProblem(bbox, out var read) is { } problem)
            {
                return Invalid("Invalid bounding box", $"'bbox' must be west,south,east,north in degrees, such as -10.5,35,30,60; '{bbox}' is not: {problem}.");
            }
            box = read;
        }
        DateOnly? fromDay = null;
        DateOnly? toDay = null;
        if (from is not null)
        {
            if (!TryReadDay(from, out var day))
            {
                return Invalid("Invalid date", $"'from' must be a day written as yyyy-MM-dd, such as 2019-07-14; '{from}' is not.");
            }
            fromDay = day;
        }
        if (to is not null)
        {
            if (!TryReadDay(to, out var day))
            {
                return Invalid("Invalid date", $"'to' must be a day written as yyyy-MM-dd, such as 2019-07-14; '{to}' is not.");
            }
            toDay = day;
        }
        if (fromDay > toDay)
        {
            return Invalid("Invalid date range", $"'from' ({from}) is after 'to' ({to}); the range runs from the earlier day to the later one, both included.");
        }
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            return Invalid("Invalid limit", $"'limit' must be a whole number from 1 to {MaxLimit}; '{limit}' is not.");
        }
        TimelineCursor? after = null;
        if (cursor is not null)
        {
            if (!TimelineCursor.TryDecode(cursor, out var decoded))
            {
                return Invalid("Invalid cursor", "The 'cursor' is not one this server issued; start again from the first page.");
            }
            after = decoded;
        }
        filter = new MarkerFilter(box, Start(fromDay), Start(toDay?.AddDays(1)), after, size);
        return null;
    }

    private static DateTime? Start(DateOnly? day) => day?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static bool TryReadDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day < DateOnly.MaxValue;

    private static string? BoxProblem(string text, out BoundingBox box)
    {
        box = default;
        var parts = text.Split(',');
        if (parts.Length != 4)
        {
            return $"it has {parts.Length} value{(parts.Length == 1 ? "" : "s")}, not 4";
        }
        var values = new double[4];
        string[] names = ["west", "south", "east", "north"];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out values[i]))
            {
                return $"{names[i]} ('{parts[i]}') is not a number";
            }
        }
        var (west, south, east, north) = (values[0], values[1], values[2], values[3]);
        if (west is < -180 or > 180 || east is < -180 or > 180)
        {
            return "west and east must be from -180 to 180";
        }
        if (south is < -90 or > 90 || north is < -90 or > 90)
        {
            return "south and north must be from -90 to 90";
        }
        if (south > north)
        {
            return $"south ({parts[1]}) is north of north ({parts[3]})";
        }
        box = new BoundingBox(west, south, east, north);
        return null;
    }

    private static ProblemHttpResult Invalid(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
