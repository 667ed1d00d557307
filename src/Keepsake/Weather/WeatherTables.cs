using Keepsake.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Keepsake.Weather;

internal sealed class WeatherQueueItemConfiguration : IEntityTypeConfiguration<WeatherQueueItem>
{
    public void Configure(EntityTypeBuilder<WeatherQueueItem> item)
    {
        item.ToTable("weather_queue");
        // The key is the place-day itself, so two replicas queueing the same one collide instead of fetching it twice.
        item.HasKey(q => new { q.LatitudeTenths, q.LongitudeTenths, q.Day });
        item.Property(q => q.LastOutcome).HasMaxLength(32);
        item.HasIndex(q => q.NextAttemptAt);
        item.Ignore(q => q.Key);
    }
}

internal sealed class WeatherDayConfiguration : IEntityTypeConfiguration<WeatherDay>
{
    public void Configure(EntityTypeBuilder<WeatherDay> day)
    {
        day.ToTable("weather_days");
        day.HasKey(d => new { d.LatitudeTenths, d.LongitudeTenths, d.Day });
    }
}

internal sealed class WeatherHourConfiguration : IEntityTypeConfiguration<WeatherHour>
{
    public void Configure(EntityTypeBuilder<WeatherHour> hour)
    {
        hour.ToTable("weather_hours");
        hour.HasKey(h => new { h.LatitudeTenths, h.LongitudeTenths, h.Hour });
    }
}

/// <summary>The weather queue and the weather fetched on the one database context, as <c>db.WeatherQueue</c>; their mapping is above, found by the context.</summary>
public static class WeatherTables
{
    extension(KeepsakeDbContext db)
    {
        public DbSet<WeatherQueueItem> WeatherQueue => db.Set<WeatherQueueItem>();

        public DbSet<WeatherDay> WeatherDays => db.Set<WeatherDay>();

        public DbSet<WeatherHour> WeatherHours => db.Set<WeatherHour>();
    }
}
