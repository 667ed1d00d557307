using System.ComponentModel.DataAnnotations;

namespace Keepsake.Weather;

/// <summary>
/// The weather of each photo's hour, from Open-Meteo's historical weather API. Off by default: turning it
/// on sends rounded places and dates of the library's photos to the provider at <see cref="BaseUrl"/>.
/// </summary>
public sealed class WeatherOptions : IValidatableObject
{
    public const string Section = "Weather";

    public bool Enabled { get; set; }

    /// <summary>The archive endpoint; a self-hosted Open-Meteo serves the same path.</summary>
    public string BaseUrl { get; set; } = "https://archive-api.open-meteo.com/v1/archive";

    /// <summary>Most requests sent to the provider per minute (the free API asks for fewer than 600).</summary>
    [Range(1, 100_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Longest wait for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for one place-day, retries included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Immediate retries of a 5xx, a 429 or a timeout before the place-day goes back to the queue.</summary>
    [Range(1, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First delay between immediate retries; it doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the circuit stays open once most requests fail; no request is sent meanwhile.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks at the queue (an upload on this replica wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a replica owns a place-day it claimed; a replica that dies loses it after this.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait before a failed place-day is tried again; it doubles per failure, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The archive holds a day only some days after it ended; a later day waits in the queue until then.</summary>
    public TimeSpan ArchiveDelay { get; set; } = TimeSpan.FromDays(6);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult($"Weather:BaseUrl '{BaseUrl}' is not an http(s) URL.", [nameof(BaseUrl)]);
        }
        foreach (var (name, value, least) in new[]
        {
            (nameof(AttemptTimeout), AttemptTimeout, TimeSpan.FromMilliseconds(10)),
            (nameof(RequestTimeout), RequestTimeout, TimeSpan.FromMilliseconds(10)),
            (nameof(RetryDelay), RetryDelay, TimeSpan.Zero),
            (nameof(BreakDuration), BreakDuration, TimeSpan.FromMilliseconds(500)),
            (nameof(PollInterval), PollInterval, TimeSpan.FromMilliseconds(10)),
            (nameof(ClaimLease), ClaimLease, RequestTimeout),
            (nameof(FirstBackoff), FirstBackoff, TimeSpan.FromMilliseconds(10)),
            (nameof(MaxBackoff), MaxBackoff, FirstBackoff),
            (nameof(ArchiveDelay), ArchiveDelay, TimeSpan.Zero),
        })
        {
            if (value < least)
            {
                yield return new ValidationResult($"Weather:{name} must be at least {least}.", [name]);
            }
        }
    }
}
