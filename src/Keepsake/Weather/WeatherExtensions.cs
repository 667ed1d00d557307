using System.Threading.RateLimiting;
using Keepsake.Hosting;
using Keepsake.Outbound;
using Keepsake.Photos;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Keepsake.Weather;

public static class WeatherExtensions
{
    /// <summary>The queue, the provider's client and the hook that queues new uploads (for the server and every verb).</summary>
    public static IServiceCollection AddKeepsakeWeather(this IServiceCollection services)
    {
        services.AddValidatedOptions<WeatherOptions>(WeatherOptions.Section);
        services.AddSingleton<WeatherWakeUp>();
        services.AddScoped<WeatherQueue>();
        services.AddScoped<WeatherLookup>();
        services.AddScoped<IPhotoWeather>(services => services.GetRequiredService<WeatherLookup>());
        services.AddScoped<IPhotosStoredHandler, WeatherEnqueuer>();
        services.AddSingleton<WeatherFetcher>();
        services.AddHttpClient<OpenMeteoClient>((provider, http) =>
            {
                http.BaseAddress = new Uri(provider.GetRequiredService<IOptions<WeatherOptions>>().Value.BaseUrl);
                // The pipeline below owns every timeout.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("Keepsake");
            })
            .WithOutboundRules()
            .AddResilienceHandler("open-meteo", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WeatherOptions>>().Value;
                pipeline
                    .AddTimeout(options.RequestTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        Delay = options.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        // 5xx, 408, 429 (after its Retry-After), timeouts and connection failures; never another 4xx.
                        ShouldRetryAfterHeader = true,
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 4,
                        SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.AttemptTimeout.TotalSeconds * 2)),
                        BreakDuration = options.BreakDuration,
                    })
                    .AddRateLimiter(new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
                    {
                        PermitLimit = options.RequestsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        SegmentsPerWindow = 6,
                        QueueLimit = options.RequestsPerMinute,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    }))
                    .AddTimeout(options.AttemptTimeout);
            });
        return services;
    }

    /// <summary>The background worker (the server only; the backfill verb drains the queue itself).</summary>
    public static IServiceCollection AddKeepsakeWeatherWorker(this IServiceCollection services) =>
        services.AddHostedService<WeatherWorker>();
}
