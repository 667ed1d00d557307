using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Keepsake.Weather;

/// <summary>How one place-day request ended, as a fixed word for logs and the fetches metric.</summary>
public enum FetchOutcome
{
    Stored,
    ServerError,
    RateLimited,
    Timeout,
    Unreachable,
    CircuitOpen,
    Malformed,
    Rejected,
    NotYetAvailable,
}

/// <summary>The hours of a place-day, or why there are none; <see cref="RetryAfter"/> is the provider's own wait after a 429.</summary>
public sealed record FetchResult(FetchOutcome Outcome, IReadOnlyList<WeatherHour> Hours, TimeSpan? RetryAfter = null, string? Detail = null)
{
    public static FetchResult Failed(FetchOutcome outcome, string detail, TimeSpan? retryAfter = null) => new(outcome, [], retryAfter, detail);
}

/// <summary>
/// Open-Meteo's historical weather API (<c>/v1/archive</c>). A request carries the rounded coordinates, one
/// UTC day and the variables, nothing else. Timeouts, retries, the circuit breaker and the rate limit are
/// the resilience pipeline of this client's <see cref="HttpClient"/> (see <see cref="WeatherExtensions"/>).
/// </summary>
public sealed class OpenMeteoClient(HttpClient http)
{
    public const string HourlyVariables = "temperature_2m,weather_code,precipitation,cloud_cover,wind_speed_10m";

    /// <summary>The archive's first day: it refuses earlier dates, so older photos (scans of old prints) are never queued.</summary>
    public static readonly DateOnly ArchiveStart = new(1940, 1, 1);

    /// <summary>The query of a place-day: rounded coordinates, the day, the variables, and GMT so the hours are UTC.</summary>
    public static string Query(PlaceDay placeDay)
    {
        var day = placeDay.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"?latitude={placeDay.Latitude}&longitude={placeDay.Longitude}&start_date={day}&end_date={day}&hourly={HourlyVariables}&timezone=GMT";
    }

    public async Task<FetchResult> FetchAsync(PlaceDay placeDay, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(Query(placeDay), HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return FetchResult.Failed(FetchOutcome.CircuitOpen, "the circuit is open after repeated failures");
        }
        catch (RateLimiterRejectedException e)
        {
            return FetchResult.Failed(FetchOutcome.RateLimited, "the request-rate limit is reached", e.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            return FetchResult.Failed(FetchOutcome.Timeout, "no answer in time");
        }
        catch (HttpRequestException e)
        {
            return FetchResult.Failed(FetchOutcome.Unreachable, e.HttpRequestError.ToString());
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return FetchResult.Failed(FetchOutcome.RateLimited, "429 Too Many Requests", RetryAfter(response));
            }
            if ((int)response.StatusCode >= 500)
            {
                return FetchResult.Failed(FetchOutcome.ServerError, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            }
            if (!response.IsSuccessStatusCode)
            {
                return FetchResult.Failed(FetchOutcome.Rejected, $"{(int)response.StatusCode} {response.ReasonPhrase}");
            }
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                return Parse(placeDay, document.RootElement);
            }
            catch (JsonException e)
            {
                return FetchResult.Failed(FetchOutcome.Malformed, "not JSON: " + e.Message);
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>
    /// Reads the documented shape: <c>utc_offset_seconds</c> and <c>hourly</c> with a <c>time</c> array
    /// (<c>yyyy-MM-ddTHH:mm</c>) and one array per variable of the same length, null where unknown.
    /// </summary>
    internal static FetchResult Parse(PlaceDay placeDay, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return FetchResult.Failed(FetchOutcome.Malformed, "the answer is not a JSON object");
        }
        if (root.TryGetProperty("utc_offset_seconds", out var offset) && (offset.ValueKind != JsonValueKind.Number || offset.GetInt32() != 0))
        {
            return FetchResult.Failed(FetchOutcome.Malformed, "the hours are not in UTC");
        }
        if (!root.TryGetProperty("hourly", out var hourly) || hourly.ValueKind != JsonValueKind.Object
            || !hourly.TryGetProperty("time", out var times) || times.ValueKind != JsonValueKind.Array)
        {
            return FetchResult.Failed(FetchOutcome.Malformed, "the answer has no hourly.time array");
        }
        var count = times.GetArrayLength();
        var columns = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in HourlyVariables.Split(','))
        {
            if (!hourly.TryGetProperty(name, out var column) || column.ValueKind != JsonValueKind.Array || column.GetArrayLength() != count)
            {
                return FetchResult.Failed(FetchOutcome.Malformed, $"hourly.{name} is missing or not as long as hourly.time");
            }
            columns[name] = column;
        }

        var hours = new List<WeatherHour>(count);
        for (var i = 0; i < count; i++)
        {
            var time = times[i];
            if (time.ValueKind != JsonValueKind.String
                || !DateTime.TryParseExact(time.GetString(), "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var hour))
            {
                return FetchResult.Failed(FetchOutcome.Malformed, $"hourly.time[{i}] is not a time");
            }
            if (DateOnly.FromDateTime(hour) != placeDay.Day)
            {
                return FetchResult.Failed(FetchOutcome.Malformed, $"hourly.time[{i}] is outside the day asked for");
            }
            if (!TryNumber(columns["temperature_2m"][i], out var temperature)
                || !TryNumber(columns["weather_code"][i], out var code)
                || !TryNumber(columns["precipitation"][i], out var precipitation)
                || !TryNumber(columns["cloud_cover"][i], out var cloudCover)
                || !TryNumber(columns["wind_speed_10m"][i], out var wind))
            {
                return FetchResult.Failed(FetchOutcome.Malformed, $"hour {i} holds a value that is neither a number nor null");
            }
            hours.Add(new WeatherHour
            {
                LatitudeTenths = placeDay.LatitudeTenths,
                LongitudeTenths = placeDay.LongitudeTenths,
                Hour = DateTime.SpecifyKind(hour, DateTimeKind.Utc),
                TemperatureCelsius = temperature,
                WeatherCode = code is { } c ? (int)c : null,
                PrecipitationMillimetres = precipitation,
                CloudCoverPercent = cloudCover,
                WindSpeedKmh = wind,
            });
        }
        if (hours.Count == 0 || hours.All(h => h.TemperatureCelsius is null && h.WeatherCode is null))
        {
            // The archive answers a day it does not hold yet with nulls: asked again later, never stored empty.
            return FetchResult.Failed(FetchOutcome.NotYetAvailable, "the archive holds no values for this day yet");
        }
        return new FetchResult(FetchOutcome.Stored, hours);
    }

    private static bool TryNumber(JsonElement element, out double? value)
    {
        value = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number))
        {
            value = number;
            return true;
        }
        return false;
    }
}
