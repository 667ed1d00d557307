using System.Security.Cryptography;

namespace Keepsake.Photos;

/// <summary>The first step of an ingest: an upload's bytes streamed to a private file in the staging folder, checked on the way.</summary>
public sealed partial class PhotoIngestor
{
    /// <summary>How often, in staged bytes, free space is checked again while a file streams in.</summary>
    private const long FreeSpaceCheckInterval = 16L * 1024 * 1024;

    /// <summary>Stages one file on its own, as an import does: no request cap.</summary>
    public Task<(StagedFile? File, Rejection? Rejection)> StageAsync(Stream content, string fileName, CancellationToken cancellationToken) =>
        StageAsync(content, fileName, UploadBudget.Unlimited, cancellationToken);

    /// <summary>
    /// Streams <paramref name="content"/> to a private file in the staging folder while hashing it. It stops at the first
    /// thing wrong, before reading further: a head that is not a photo format, the per-photo limit, the bytes left in
    /// <paramref name="budget"/>, or free space below the margin (checked before the first byte and every 16 MB).
    /// </summary>
    public async Task<(StagedFile? File, Rejection? Rejection)> StageAsync(Stream content, string fileName, UploadBudget budget, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxUploadBytes;
        if (staging.CheckFreeSpace(budget.StagedBytes) is { } noSpace)
        {
            return (null, noSpace);
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[ImageFormat.SniffLength];
        var headLength = 0;
        ImageFormat? format = null;
        long length = 0;
        var nextSpaceCheck = FreeSpaceCheckInterval;
        var buffer = new byte[81920];
        var file = staging.CreateFile(out var path);
        Rejection? rejection = null;
        try
        {
            await using (file)
            {
                int read;
                while (rejection is null && (read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(read, head.Length - headLength);
                        Array.Copy(buffer, 0, head, headLength, take);
                        headLength += take;
                        format = headLength == head.Length ? ImageFormat.Sniff(head) : null;
                    }
                    rejection = length > limit ? new Rejection(StatusCodes.Status413PayloadTooLarge, "Photo too large",
                            $"'{fileName}' is larger than the {Bytes.Format(limit)} limit for one photo.")
                        : length > budget.RemainingBytes ? UploadRejections.RequestTooLarge(budget.MaxBytes)
                        : headLength == head.Length && format is null ? Rejection.NotAnImage(fileName)
                        : length >= nextSpaceCheck ? staging.CheckFreeSpace(budget.StagedBytes + length)
                        : null;
                    if (length >= nextSpaceCheck)
                    {
                        nextSpaceCheck += FreeSpaceCheckInterval;
                    }
                    if (rejection is null)
                    {
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        if (rejection is null && length == 0)
        {
            rejection = new Rejection(StatusCodes.Status422UnprocessableEntity, "Empty file", $"'{fileName}' is empty.");
        }
        // A file shorter than the sniffed head is recognised at its end.
        format ??= ImageFormat.Sniff(head.AsSpan(0, headLength));
        if (rejection is null && format is null)
        {
            rejection = Rejection.NotAnImage(fileName);
        }
        if (rejection is not null)
        {
            File.Delete(path);
            return (null, rejection);
        }
        budget.Add(length);
        return (new StagedFile(fileName, path, length, Convert.ToHexStringLower(hash.GetHashAndReset()), format!), null);
    }
}
