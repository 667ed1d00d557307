using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Keepsake.Storage;

/// <summary>
/// Blobs as objects in an S3-compatible bucket, under the same '/'-separated keys as on the filesystem
/// (after an optional key prefix). A PutObject that returns has stored the whole object durably; a
/// reader never sees half an object.
/// </summary>
public sealed class S3BlobStore : IBlobStore
{
    private readonly IAmazonS3 _client;
    private readonly S3StorageOptions _options;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3BlobStore(IAmazonS3 client, IOptions<StorageOptions> options)
    {
        _client = client;
        _options = options.Value.S3;
        _bucket = _options.Bucket ?? throw new InvalidOperationException("Storage:S3:Bucket is required when Storage:Provider is 's3'.");
        _prefix = string.IsNullOrEmpty(_options.KeyPrefix) ? "" : _options.KeyPrefix.TrimEnd('/') + "/";
    }

    public string Bucket => _bucket;

    /// <summary>A client for the configured server; explicit keys when given, else the SDK's default credential chain.</summary>
    public static AmazonS3Client CreateClient(S3StorageOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        if (!options.UseChunkEncoding)
        {
            // Trailing checksums need chunked bodies; a server that cannot take those gets plain ones.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        return string.IsNullOrWhiteSpace(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        if (content.CanSeek)
        {
            await PutAsync(objectKey, content, cancellationToken);
            return;
        }
        // The SDK needs the length up front (and a retry needs to rewind), so an unseekable stream is buffered on disk.
        var temporary = System.IO.Path.GetTempFileName();
        try
        {
            await using var buffer = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await content.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            await PutAsync(objectKey, buffer, cancellationToken);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private async Task PutAsync(string objectKey, Stream content, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = objectKey,
            InputStream = content,
            AutoCloseStream = false,
            UseChunkEncoding = _options.UseChunkEncoding,
        };
        await _client.PutObjectAsync(request, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var objectKey = ObjectKey(key);
            var response = await _client.GetObjectAsync(_bucket, objectKey, cancellationToken);
            // Disposing the stream releases the connection.
            return new S3ObjectStream(_client, _bucket, objectKey, response);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, ObjectKey(key), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, ObjectKey(key), cancellationToken);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e) && e.ErrorCode != "NoSuchBucket")
        {
            // Already gone.
        }
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix };
        do
        {
            var response = await _client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new BlobInfo(item.Key[_prefix.Length..], item.Size ?? 0,
                    item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue);
            }
            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    /// <summary>Lists at most one object: proves the endpoint answers, the credentials hold and the bucket exists.</summary>
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        var where = $"S3 bucket '{_bucket}' at {(string.IsNullOrWhiteSpace(_options.ServiceUrl) ? "AWS " + _options.Region : _options.ServiceUrl)}";
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket" || e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new IOException($"{where} does not exist (Storage:S3:Bucket).", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new IOException($"{where} refuses these credentials: {e.ErrorCode} {e.Message}", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new IOException($"{where} cannot be reached: {e.Message}", e);
        }
    }

    private static bool IsNotFound(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NotFound";

    private string ObjectKey(string key)
    {
        if (key.Length == 0 || key.Contains("..", StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key.StartsWith('/'))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));
        }
        return _prefix + key;
    }
}
