using System.ComponentModel.DataAnnotations;

namespace Keepsake.Storage;

public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";
    public const string FileSystemProvider = "filesystem";
    public const string S3Provider = "s3";

    /// <summary><c>filesystem</c> (a folder, the default) or <c>s3</c> (an S3-compatible bucket).</summary>
    [Required]
    [AllowedValues(FileSystemProvider, S3Provider)]
    public string Provider { get; set; } = FileSystemProvider;

    /// <summary>Folder that holds every blob; relative paths are resolved from the working directory.</summary>
    [Required]
    public string Path { get; set; } = "data";

    /// <summary>The bucket, when <see cref="Provider"/> is <c>s3</c>.</summary>
    public S3StorageOptions S3 { get; set; } = new();

    public bool IsS3 => string.Equals(Provider, S3Provider, StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsS3)
        {
            yield break;
        }
        foreach (var problem in S3.Validate(Section))
        {
            yield return problem;
        }
    }
}

/// <summary>An S3-compatible bucket (AWS S3, MinIO, Garage, Ceph RGW, ...).</summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint of an S3-compatible server, e.g. <c>http://minio:9000</c>; empty for AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Addresses the bucket as <c>host/bucket</c> rather than <c>bucket.host</c>; most self-hosted servers need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// Sends uploads as aws-chunked bodies. Some S3-compatible servers (s3rver, older MinIO and Ceph) store such
    /// a body verbatim over plain http, corrupting the object; set false for them.
    /// </summary>
    public bool UseChunkEncoding { get; set; } = true;

    /// <summary>Optional: without keys the SDK's default credential chain is used (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Optional prefix of every object key, e.g. <c>keepsake/</c>, to share a bucket.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>What is wrong with these settings, named under <paramref name="section"/> (e.g. <c>Storage</c>), whose <c>Provider</c> is <c>s3</c>.</summary>
    public IEnumerable<ValidationResult> Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            yield return new ValidationResult($"{section}:S3:Bucket is required when {section}:Provider is 's3'.", [nameof(StorageOptions.S3)]);
        }
        if (string.IsNullOrWhiteSpace(AccessKey) != string.IsNullOrWhiteSpace(SecretKey))
        {
            yield return new ValidationResult($"{section}:S3:AccessKey and {section}:S3:SecretKey go together: set both, or neither to use the default AWS credential chain.", [nameof(StorageOptions.S3)]);
        }
        if (!string.IsNullOrWhiteSpace(ServiceUrl) && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"{section}:S3:ServiceUrl '{ServiceUrl}' is not an absolute URL; use one such as http://minio:9000.", [nameof(StorageOptions.S3)]);
        }
    }
}
