using System.ComponentModel.DataAnnotations;
using Keepsake.Storage;

namespace Keepsake.Backups.Photos;

/// <summary>
/// The <c>Backups:Photos</c> settings: where <c>keepsake backup photos</c> keeps its second copy of every original,
/// a folder (a USB disk, a NAS mount) or another S3 bucket with its own credentials. Off by default: the database
/// backups then point at photos that exist only once, which the server says as it starts.
/// </summary>
public sealed class PhotoBackupOptions : IValidatableObject
{
    public const string Section = "Backups:Photos";
    public const string NoProvider = "none";
    private const int MaxParallelism = 64;

    /// <summary><c>none</c> (the default: no copies), <c>filesystem</c> (a folder) or <c>s3</c> (an S3-compatible bucket).</summary>
    [Required]
    [AllowedValues(NoProvider, StorageOptions.FileSystemProvider, StorageOptions.S3Provider)]
    public string Provider { get; set; } = NoProvider;

    /// <summary>The folder the copies go to, when <see cref="Provider"/> is <c>filesystem</c>; it should be on another disk than <c>Storage:Path</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The bucket, when <see cref="Provider"/> is <c>s3</c>; shaped like <c>Storage:S3</c>, set apart from it.</summary>
    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>
    /// How long a copy outlives the last photo holding its content, so a mistaken delete can be undone from the copies;
    /// a run of <c>backup photos</c> removes it after that. An erasure does not wait (see <see cref="PhotoCopyErasure"/>).
    /// </summary>
    public TimeSpan DeletedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many copies a run makes at once: a copy mostly waits on the disks' flushes or the network.</summary>
    public int Parallelism { get; set; } = 4;

    public bool IsEnabled => !string.Equals(Provider, NoProvider, StringComparison.Ordinal);

    public bool IsS3 => string.Equals(Provider, StorageOptions.S3Provider, StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DeletedRetention <= TimeSpan.Zero)
        {
            yield return new ValidationResult(
                $"{Section}:DeletedRetention is {DeletedRetention}; it must be longer than zero (e.g. 30.00:00:00 for 30 days), the time a deleted photo's copy is kept.",
                [nameof(DeletedRetention)]);
        }
        if (Parallelism is < 1 or > MaxParallelism)
        {
            yield return new ValidationResult(
                $"{Section}:Parallelism is {Parallelism}; it must be from 1 to {MaxParallelism}, the number of copies a run makes at once (4 by default).",
                [nameof(Parallelism)]);
        }
        if (string.Equals(Provider, StorageOptions.FileSystemProvider, StringComparison.Ordinal) && string.IsNullOrWhiteSpace(Path))
        {
            yield return new ValidationResult($"{Section}:Path is not set; it is required when {Section}:Provider is 'filesystem'.", [nameof(Path)]);
        }
        if (!IsS3)
        {
            yield break;
        }
        foreach (var problem in S3.Validate(Section))
        {
            yield return problem;
        }
    }

    /// <summary>Stops a command that needs the target when there is none, saying <paramref name="consequence"/> and what to set.</summary>
    public void ThrowIfDisabled(string consequence, string? remedy = null)
    {
        if (!IsEnabled)
        {
            throw new BackupException($"{Section}:Provider is 'none': {consequence}. {remedy ?? $"Set it to 'filesystem' (with {Section}:Path) or 's3'."}");
        }
    }

    /// <summary>Where the copies go, for a message: the folder, or the bucket and its endpoint.</summary>
    public string Describe() => IsS3 ? $"bucket {S3.Bucket} at {S3.ServiceUrl ?? S3.Region}" : $"folder {Path}";

    /// <summary>The copies' store, made like the primary one from storage settings of its own.</summary>
    public PhotoBackupTarget CreateTarget()
    {
        if (!IsS3)
        {
            return new PhotoBackupTarget(new FileSystemBlobStore(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = Path! })), null);
        }
        var client = S3BlobStore.CreateClient(S3);
        return new PhotoBackupTarget(new S3BlobStore(client, Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = StorageOptions.S3Provider, S3 = S3 })), client);
    }
}

/// <summary>The photo backup target's store for one run, and the S3 client it owns (a folder's store holds nothing to release).</summary>
public sealed class PhotoBackupTarget(IBlobStore store, IDisposable? client) : IDisposable
{
    public IBlobStore Store => store;

    public void Dispose() => client?.Dispose();
}
