using Keepsake.Storage;
using Keepsake.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Keepsake.Tests.Storage;

/// <summary>What every <see cref="IBlobStore"/> must do, run against each implementation.</summary>
public abstract class BlobStoreContractTests
{
    protected abstract Task<IBlobStore> CreateStoreAsync();

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]?> ReadAsync(IBlobStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, CancellationToken.None);
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task WriteAsync(IBlobStore store, string key, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        await store.WriteAsync(key, content, CancellationToken.None);
    }

    [Fact]
    public async Task A_written_blob_reads_back_byte_for_byte()
    {
        var store = await CreateStoreAsync();
        var bytes = Bytes(3 * 1024 * 1024 + 17, 1);

        await WriteAsync(store, "originals/owner/photo", bytes);

        Assert.Equal(bytes, await ReadAsync(store, "originals/owner/photo"));
        Assert.True(await store.ExistsAsync("originals/owner/photo", CancellationToken.None));
    }

    [Fact]
    public async Task A_blob_written_from_an_unseekable_stream_reads_back_byte_for_byte()
    {
        var store = await CreateStoreAsync();
        var bytes = Bytes(200_000, 2);
        await using var content = new UnseekableStream(bytes);

        await store.WriteAsync("previews/owner/photo.jpg", content, CancellationToken.None);

        Assert.Equal(bytes, await ReadAsync(store, "previews/owner/photo.jpg"));
    }

    [Fact]
    public async Task Writing_again_replaces_the_blob()
    {
        var store = await CreateStoreAsync();
        await WriteAsync(store, "thumbnails/a/b.webp", Bytes(5000, 3));
        var second = Bytes(1200, 4);

        await WriteAsync(store, "thumbnails/a/b.webp", second);

        Assert.Equal(second, await ReadAsync(store, "thumbnails/a/b.webp"));
    }

    [Fact]
    public async Task A_missing_blob_reads_as_null_and_does_not_exist()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await ReadAsync(store, "originals/nobody/nothing"));
        Assert.False(await store.ExistsAsync("originals/nobody/nothing", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_removes_a_blob_and_deleting_again_is_fine()
    {
        var store = await CreateStoreAsync();
        await WriteAsync(store, "originals/o/p", Bytes(10, 5));

        await store.DeleteAsync("originals/o/p", CancellationToken.None);
        await store.DeleteAsync("originals/o/p", CancellationToken.None);
        await store.DeleteAsync("originals/o/never", CancellationToken.None);

        Assert.False(await store.ExistsAsync("originals/o/p", CancellationToken.None));
        Assert.Null(await ReadAsync(store, "originals/o/p"));
    }

    [Fact]
    public async Task Listing_a_prefix_returns_exactly_the_blobs_under_it_with_their_lengths()
    {
        var store = await CreateStoreAsync();
        var written = new Dictionary<string, int>
        {
            ["thumbnails/u1/a.webp"] = 10,
            ["thumbnails/u1/b.webp"] = 0,
            ["thumbnails/u2/c.webp"] = 4096,
        };
        foreach (var (key, length) in written)
        {
            await WriteAsync(store, key, Bytes(length, length));
        }
        await WriteAsync(store, "previews/u1/a.jpg", Bytes(7, 7));
        await WriteAsync(store, "thumbnailsx/u1/a.webp", Bytes(7, 8));

        var listed = await store.ListAsync("thumbnails/", CancellationToken.None).ToListAsync();

        Assert.Equal(written.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (w.Key, (long)w.Value)),
            listed.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Key, b.Length)));
        Assert.All(listed, b => Assert.InRange(b.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.Empty(await store.ListAsync("originals/", CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task A_healthy_store_passes_its_health_check()
    {
        var store = await CreateStoreAsync();

        await store.CheckHealthAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("")]
    public async Task A_key_that_is_not_a_relative_path_is_refused(string key)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(store, key, [1]));
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}

public sealed class FileSystemBlobStoreContractTests : BlobStoreContractTests, IDisposable
{
    private readonly TemporaryFolder _folder = new();

    protected override Task<IBlobStore> CreateStoreAsync() =>
        Task.FromResult<IBlobStore>(new FileSystemBlobStore(Options.Create(new StorageOptions { Path = Path.Combine(_folder.Path, "data") })));

    public void Dispose() => _folder.Dispose();
}

[Collection(S3Collection.Name)]
public sealed class S3BlobStoreContractTests(S3Server server) : BlobStoreContractTests
{
    protected override async Task<IBlobStore> CreateStoreAsync()
    {
        var bucket = await server.CreateBucketAsync();
        return new S3BlobStore(server.Client, Options.Create(new StorageOptions { Provider = "s3", S3 = server.Options(bucket) }));
    }

    [Fact]
    public async Task A_key_prefix_keeps_every_blob_under_it_and_out_of_listings_keys()
    {
        var bucket = await server.CreateBucketAsync();
        var options = server.Options(bucket);
        options.KeyPrefix = "keepsake/";
        var store = new S3BlobStore(server.Client, Options.Create(new StorageOptions { Provider = "s3", S3 = options }));
        using var content = new MemoryStream([1, 2, 3]);

        await store.WriteAsync("originals/o/p", content, CancellationToken.None);

        Assert.Equal(["keepsake/originals/o/p"], await server.KeysAsync(bucket));
        Assert.Equal("originals/o/p", Assert.Single(await store.ListAsync("originals/", CancellationToken.None).ToListAsync()).Key);
        Assert.True(await store.ExistsAsync("originals/o/p", CancellationToken.None));
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_fails_the_health_check_naming_it()
    {
        var store = new S3BlobStore(server.Client, Options.Create(new StorageOptions { Provider = "s3", S3 = server.Options("no-such-bucket") }));

        var error = await Assert.ThrowsAsync<IOException>(() => store.CheckHealthAsync(CancellationToken.None));

        Assert.Contains("'no-such-bucket'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_fails_the_health_check()
    {
        var options = server.Options("any");
        options.ServiceUrl = "http://127.0.0.1:9";
        using var client = S3BlobStore.CreateClient(options);
        var store = new S3BlobStore(client, Options.Create(new StorageOptions { Provider = "s3", S3 = options }));

        var error = await Assert.ThrowsAsync<IOException>(() => store.CheckHealthAsync(CancellationToken.None));

        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
    }
}
