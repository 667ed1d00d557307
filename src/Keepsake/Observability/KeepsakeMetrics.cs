using System.Diagnostics.Metrics;
using Keepsake.Storage;

namespace Keepsake.Observability;

/// <summary>
/// Keepsake's own instruments, all on one meter. Names follow the OpenTelemetry conventions; the
/// Prometheus exporter turns <c>keepsake.uploads</c> into <c>keepsake_uploads_total</c> and appends the
/// unit (<c>_seconds</c>, <c>_bytes</c>). The alert rules and the dashboard in deploy/monitoring read
/// those names, and a test checks that a fresh server exposes every one of them from its first scrape.
/// </summary>
public sealed class KeepsakeMetrics
{
    public const string MeterName = "Keepsake";

    public const string Uploads = "keepsake.uploads";
    public const string UploadSize = "keepsake.upload.size";
    public const string UploadFailures = "keepsake.upload.failures";
    public const string ThumbnailDuration = "keepsake.thumbnail.duration";
    public const string Photos = "keepsake.photos";
    public const string PhotosMissing = "keepsake.photos.missing";
    public const string Users = "keepsake.users";
    public const string MigrationsPending = "keepsake.migrations.pending";
    public const string WeatherFetches = "keepsake.weather.fetches";
    public const string WeatherQueueDepth = "keepsake.weather.queue.depth";
    public const string WeatherQueueOldestAge = "keepsake.weather.queue.oldest_age";
    public const string Erasures = "keepsake.erasures";
    public const string BackupLastSuccess = "keepsake.backup.last_success.timestamp";
    public const string BackupLastVerified = "keepsake.backup.last_verified.timestamp";
    public const string BackupDuration = "keepsake.backup.duration";
    public const string PhotoBackupEnabled = "keepsake.photo_backup.enabled";
    public const string PhotoBackupVerifyLastSuccess = "keepsake.photo_backup.verify.last_success.timestamp";
    public const string PhotoBackupVerifyFailedCopies = "keepsake.photo_backup.verify.failed_copies";
    public const string PhotoBackupLastSuccess = "keepsake.photo_backup.last_success.timestamp";
    public const string PhotoBackupLastRunFailed = "keepsake.photo_backup.last_run.failed";
    public const string PhotoBackupObjects = "keepsake.photo_backup.objects";
    public const string PhotoBackupSize = "keepsake.photo_backup.size";
    public const string PhotoBackupGeneration = "keepsake.photo_backup.generation";
    public const string CacheRequests = "keepsake.cache.requests";
    public const string StorageFaults = "keepsake.storage.faults";
    public const string FsckRepairs = "keepsake.fsck.repairs";
    public const string Exceptions = "keepsake.exceptions";

    /// <summary>The results an upload is counted by.</summary>
    public static IReadOnlyList<string> UploadResults { get; } = ["stored", "duplicate"];

    /// <summary>The fixed words an upload failure is counted by (<see cref="UploadFailed"/>): each is exported from the first scrape.</summary>
    public static IReadOnlyList<string> UploadFailureReasons { get; } =
    [
        UploadFailureReason.TooLarge, UploadFailureReason.UnsupportedFormat, UploadFailureReason.Unreadable, UploadFailureReason.Malformed,
        UploadFailureReason.NoFile, UploadFailureReason.NotMultipart, UploadFailureReason.OwnerGone,
    ];

    private readonly Counter<long> _uploads;
    private readonly Counter<long> _uploadSize;
    private readonly Counter<long> _uploadFailures;
    private readonly Histogram<double> _thumbnailDuration;
    private readonly Counter<long> _cacheRequests;
    private readonly Histogram<double> _backupDuration;
    private readonly Counter<long> _weatherFetches;
    private readonly Counter<long> _erasures;
    private readonly Counter<long> _fsckRepairs;
    private readonly Counter<long> _exceptions;

    /// <summary>Per <see cref="StorageFaultKind"/>; observed rather than added, so every kind is exported from the start at 0
    /// and an alert on its increase sees the first fault.</summary>
    private readonly long[] _storageFaults = new long[Enum.GetValues<StorageFaultKind>().Length];

    public KeepsakeMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _uploads = Meter.CreateCounter<long>(Uploads, "{photo}", "Photos received by upload, by result (stored or duplicate).");
        _uploadSize = Meter.CreateCounter<long>(UploadSize, "By", "Bytes of the originals stored by upload.");
        _uploadFailures = Meter.CreateCounter<long>(UploadFailures, "{upload}", "Uploads refused, by reason (error.type).");
        _thumbnailDuration = Meter.CreateHistogram(ThumbnailDuration, "s", "Time to decode a photo and make its preview and thumbnail.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });
        _backupDuration = Meter.CreateHistogram(BackupDuration, "s",
            "Time to take (create) or restore and check (verify) a backup, in this process: the embedded server's own schedule, or a verb.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 300, 900, 1800, 3600] });
        _cacheRequests = Meter.CreateCounter<long>(CacheRequests, "{request}",
            "Cache lookups by cache and result: hit, or miss (answered from the database; every lookup misses without Redis).");
        _weatherFetches = Meter.CreateCounter<long>(WeatherFetches, "{request}", "Place-day requests to the weather provider, by outcome.");
        _erasures = Meter.CreateCounter<long>(Erasures, "{user}", "Users erased (by any door, or again by a restore's ledger replay).");
        Meter.CreateObservableCounter(StorageFaults, () => Enum.GetValues<StorageFaultKind>().Select(kind =>
                new Measurement<long>(Interlocked.Read(ref _storageFaults[(int)kind]), new KeyValuePair<string, object?>("error.type", StorageFault.Name(kind)))),
            "{request}", "Requests that failed on the server's own storage, by kind (error.type: no_space, read_only, permission_denied).");
        _fsckRepairs = Meter.CreateCounter<long>(FsckRepairs, "{repair}",
            "What fsck repairs did in this process (the server's own schedule, or a verb), by action: orphan_removed, erasure_leftover_removed, " +
            "derived_remade, photo_marked_missing, mark_cleared, original_restored (from the photo copies).");
        _exceptions = Meter.CreateCounter<long>(Exceptions, "{request}",
            "Requests that ended in an exception no handler answered (a 500: a bug); storage faults and database outages are counted apart.");
    }

    /// <summary>
    /// A counter is exported only from its first Add, so a fresh server would show no uploads, failures or exceptions at
    /// all and an alert on them would have nothing to read: every label set the alert rules read is added 0 once the
    /// exporter listens (a measurement made before that is lost).
    /// </summary>
    public void ExportCountersAtZero()
    {
        foreach (var result in UploadResults)
        {
            _uploads.Add(0, new KeyValuePair<string, object?>("keepsake.upload.result", result));
        }
        foreach (var reason in UploadFailureReasons)
        {
            _uploadFailures.Add(0, new KeyValuePair<string, object?>("error.type", reason));
        }
        _exceptions.Add(0);
    }

    public Meter Meter { get; }

    public void PhotoUploaded(bool duplicate, long bytes)
    {
        _uploads.Add(1, new KeyValuePair<string, object?>("keepsake.upload.result", duplicate ? "duplicate" : "stored"));
        if (!duplicate)
        {
            _uploadSize.Add(bytes);
        }
    }

    /// <summary><paramref name="reason"/> is one of a few fixed words, never anything a user typed.</summary>
    public void UploadFailed(string reason) =>
        _uploadFailures.Add(1, new KeyValuePair<string, object?>("error.type", reason));

    /// <summary><paramref name="operation"/> is <c>create</c> or <c>verify</c>.</summary>
    public void BackupTimed(string operation, TimeSpan duration) =>
        _backupDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("keepsake.backup.operation", operation));

    public void CacheLookedUp(string cache, bool hit) =>
        _cacheRequests.Add(1, new KeyValuePair<string, object?>("keepsake.cache.name", cache), new KeyValuePair<string, object?>("keepsake.cache.result", hit ? "hit" : "miss"));

    public void ThumbnailRendered(string format, TimeSpan duration) =>
        _thumbnailDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("keepsake.photo.format", format));

    /// <summary><paramref name="outcome"/> is one of the fixed words of <c>WeatherQueue.Word</c>.</summary>
    public void WeatherFetched(string outcome) =>
        _weatherFetches.Add(1, new KeyValuePair<string, object?>("keepsake.weather.outcome", outcome));

    public void UserErased() => _erasures.Add(1);

    public void ExceptionUnhandled() => _exceptions.Add(1);

    public void StorageFailed(StorageFaultKind kind) => Interlocked.Increment(ref _storageFaults[(int)kind]);

    /// <summary><paramref name="action"/> is one of the fixed words of <see cref="FsckRepairs"/>; nothing is recorded for none.</summary>
    public void FsckRepaired(string action, int count)
    {
        if (count > 0)
        {
            _fsckRepairs.Add(count, new KeyValuePair<string, object?>("keepsake.fsck.action", action));
        }
    }
}
