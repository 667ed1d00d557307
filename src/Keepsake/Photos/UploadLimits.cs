namespace Keepsake.Photos;

/// <summary>
/// What one upload request may still write to the staging folder: the bytes left under
/// <see cref="PhotosOptions.MaxRequestBytes"/>. An import stages one file at a time without a request cap.
/// </summary>
public sealed class UploadBudget(long maxBytes)
{
    public static UploadBudget Unlimited => new(long.MaxValue);

    public long MaxBytes { get; } = maxBytes;

    public long StagedBytes { get; private set; }

    public long RemainingBytes => MaxBytes - StagedBytes;

    internal void Add(long bytes) => StagedBytes += bytes;
}

/// <summary>The refusals of a whole upload request (rather than of one photo in it).</summary>
public static class UploadRejections
{
    public static Rejection TooManyFiles(int limit) => new(
        StatusCodes.Status413PayloadTooLarge,
        "Too many files in one upload",
        $"One upload may hold at most {limit} files; send the others in another upload. Nothing was stored.",
        "too_many_files");

    public static Rejection RequestTooLarge(long limit) => new(
        StatusCodes.Status413PayloadTooLarge,
        "Upload too large",
        $"One upload may carry at most {Bytes.Format(limit)} of photos together; send the others in another upload. Nothing was stored.",
        "request_too_large");

    public static Rejection NotEnoughSpace(string where) => new(
        StatusCodes.Status507InsufficientStorage,
        "Not enough free space",
        $"The server is short of disk space in {where}, so it takes no uploads until an administrator frees some " +
        "(the server's log names the folder and the space left). Nothing was stored.",
        "no_space");
}

/// <summary>Sizes as people read them: 10 kB, 1.5 MB, 1 GB (powers of 1000, as disk makers count).</summary>
internal static class Bytes
{
    public static string Format(long bytes) =>
        bytes >= 1_000_000_000 ? $"{bytes / 1_000_000_000.0:0.#} GB"
        : bytes >= 1_000_000 ? $"{bytes / 1_000_000.0:0.#} MB"
        : bytes >= 1000 ? $"{bytes / 1000.0:0.#} kB"
        : $"{bytes} bytes";
}
