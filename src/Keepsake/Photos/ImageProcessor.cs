using System.Diagnostics;
using Keepsake.Observability;
using Microsoft.Extensions.Options;
using NetVips;

namespace Keepsake.Photos;

/// <summary>The preview (JPEG), thumbnail and large thumbnail (WebP) of a photo, and its size as displayed.</summary>
public sealed record RenderedPhoto(int Width, int Height, int Orientation, byte[] Preview, byte[] Thumbnail, byte[] LargeThumbnail);

/// <summary>A rendered photo, or why it could not be rendered.</summary>
public sealed record RenderOutcome(RenderedPhoto? Photo, Rejection? Rejection);

/// <summary>
/// Makes a photo's preview and thumbnails with libvips. The original is decoded once, with
/// shrink-on-load, straight to preview size; the thumbnails are derived from the preview.
/// </summary>
public sealed partial class ImageProcessor(IOptions<PhotosOptions> options, KeepsakeMetrics metrics, ILogger<ImageProcessor> logger) : IDisposable
{
    private static readonly double[] White = [255, 255, 255];

    /// <summary>
    /// The preview: baseline JPEG with optimised Huffman tables, as sharp writes by default. Progressive took 1.8× the
    /// encoding CPU of baseline for a few percent fewer bytes (bench/perf, libvips 8.14: 16 previews 343 ms, 186 ms).
    /// </summary>
    public const string PreviewEncoding = ".jpg[Q=82,strip,optimize_coding]";

    /// <summary>The thumbnail: WebP effort 2 (of 0–6), half the CPU of the default 4 for 2 % more bytes at this size (bench/import).</summary>
    public const string ThumbnailEncoding = ".webp[Q=75,strip,effort=2]";

    /// <summary>How much wider than high a large thumbnail may be: a wider panorama is made less high.</summary>
    public const int LargeThumbnailMaxWidthRatio = 4;

    /// <summary>libvips's built-in sRGB profile.</summary>
    private const string SrgbProfile = "srgb";

    // Shared by every upload and import of the process: the decodes at once are what takes memory.
    private readonly SemaphoreSlim _gate = new(ShareCoresAmong(options.Value.EffectiveDecodeParallelism()));

    /// <summary>
    /// Gives each of the <paramref name="decodes"/> at once its share of the cores as libvips worker threads: a photo's
    /// decode on more threads than its share only adds switching (measured in bench/import: 137 ms of CPU per photo on
    /// one thread, 157 ms on two, with two photos at once on two cores).
    /// </summary>
    private static int ShareCoresAmong(int decodes)
    {
        NetVips.NetVips.Concurrency = Math.Max(1, Environment.ProcessorCount / decodes);
        return decodes;
    }

    public async Task<RenderOutcome> RenderAsync(string path, string fileName, ImageFormat format, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.MaxDecodeTime);
            return await Task.Run(() => new RenderOutcome(Render(path, fileName, format, deadline.Token, out var rejection), rejection), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Formats the bundled libvips cannot decode; a system libvips (Debian's libvips42) can.</summary>
    private static readonly HashSet<string> NeedSystemLibvips = [ImageFormat.Heic.Name, ImageFormat.JpegXl.Name, ImageFormat.Jpeg2000.Name];

    private RenderedPhoto? Render(string path, string fileName, ImageFormat format, CancellationToken deadline, out Rejection? rejection)
    {
        var limits = options.Value;
        rejection = null;
        if (LibvipsLoader.Chosen == "bundled" && NeedSystemLibvips.Contains(format.Name))
        {
            rejection = new Rejection(StatusCodes.Status415UnsupportedMediaType, "Format not supported on this server",
                $"'{fileName}' is a {format.Name.ToUpperInvariant()} photo, which this server's image library cannot decode. " +
                "The administrator can install libvips42 (apt-get install libvips42) to enable HEIC, JPEG XL and JPEG 2000.");
            return null;
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            int orientation, storedWidth, storedHeight;
            bool hasProfile;
            using (var header = Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error))
            {
                var loader = header.Contains("vips-loader") ? header.Get("vips-loader") as string : null;
                if (loader is null || !loader.StartsWith(format.LoaderPrefix, StringComparison.Ordinal))
                {
                    LogLoaderMismatch(logger, format.Name, loader);
                    rejection = Rejection.NotAnImage(fileName);
                    return null;
                }
                long pixels = (long)header.Width * header.Height;
                if (header.Width <= 0 || header.Height <= 0)
                {
                    rejection = Rejection.Corrupt(fileName, format.Name);
                    return null;
                }
                if (pixels > limits.MaxPixels)
                {
                    rejection = new Rejection(StatusCodes.Status422UnprocessableEntity, "Photo has too many pixels",
                        $"'{fileName}' is {header.Width}×{header.Height} pixels ({pixels / 1e6:0.#} megapixels); the limit is {limits.MaxPixels / 1e6:0.#} megapixels.");
                    return null;
                }
                if (WholeImageBytes(header, format) is var whole && whole > limits.MaxDecodeBytes)
                {
                    rejection = new Rejection(StatusCodes.Status422UnprocessableEntity, "Photo needs too much memory to decode",
                        $"'{fileName}' is {header.Width}×{header.Height} pixels stored in a way that must be decoded whole, which takes about " +
                        $"{whole / 1e6:0} MB of memory; the limit for one photo is {limits.MaxDecodeBytes / 1e6:0} MB.");
                    return null;
                }
                (storedWidth, storedHeight) = (header.Width, header.Height);
                hasProfile = header.Contains("icc-profile-data");
                orientation = header.Contains("orientation") ? header.Get("orientation") is int o && o is >= 1 and <= 8 ? o : 1 : 1;
            }

            // A photo with an ICC profile of its own (Display P3 from phones, Adobe RGB from cameras) is converted to sRGB, as
            // libvips does a CMYK one by itself: the derived files are saved without any profile, which every viewer reads as
            // sRGB. One without a profile is sRGB already; asked to convert it anyway, libvips 8.14 shifts its colours.
            using var decoded = DecodeToPreviewSize(path, format, storedWidth, storedHeight, hasProfile, limits.PreviewSize);
            using var displayable = ToDisplayable(decoded);
            // The decode runs when the pipeline is materialised below; a cancelled token kills it mid-way.
            displayable.SetProgress(NoProgress.Instance, deadline);
            // Materialised so the preview and thumbnail can both read it without decoding the file again.
            using var copied = displayable.CopyMemory();
            // 'strip' is not honoured by every libvips (the system 8.14's WebP saver keeps EXIF, GPS included, and the ICC
            // profile), so the derived files are made from pixels that carry no EXIF, XMP, IPTC or profile at all.
            using var pixelsInMemory = copied.Mutate(image =>
            {
                foreach (var name in copied.GetFields().Where(name => IsPersonalMetadata(name) || name == "icc-profile-data"))
                {
                    image.Remove(name);
                }
            });
            using var flattened = pixelsInMemory.HasAlpha() ? pixelsInMemory.Flatten(background: White) : pixelsInMemory.Copy();
            var preview = flattened.WriteToBuffer(PreviewEncoding);
            using var thumbnail = pixelsInMemory.ThumbnailImage(limits.ThumbnailSize, height: limits.ThumbnailSize, size: Enums.Size.Down);
            var thumbnailBytes = thumbnail.WriteToBuffer(ThumbnailEncoding);
            using var largeThumbnail = pixelsInMemory.ThumbnailImage(
                LargeThumbnailMaxWidthRatio * limits.LargeThumbnailHeight, height: limits.LargeThumbnailHeight, size: Enums.Size.Down);
            var largeThumbnailBytes = largeThumbnail.WriteToBuffer(ThumbnailEncoding);
            var (width, height) = SizeAsDisplayed(storedWidth, storedHeight, orientation, pixelsInMemory);
            metrics.ThumbnailRendered(format.Name, Stopwatch.GetElapsedTime(started));
            return new RenderedPhoto(width, height, orientation, preview, thumbnailBytes, largeThumbnailBytes);
        }
        catch (VipsException) when (deadline.IsCancellationRequested)
        {
            LogDecodeTimeout(logger, format.Name, limits.MaxDecodeTime);
            rejection = new Rejection(StatusCodes.Status422UnprocessableEntity, "Photo takes too long to decode",
                $"'{fileName}' took longer than {limits.MaxDecodeTime.TotalSeconds:0} seconds to decode, the limit for one photo; it is damaged or built to occupy the server.");
            return null;
        }
        catch (VipsException e)
        {
            LogDecodeFailure(logger, format.Name, e.Message.Split('\n')[0]);
            rejection = Rejection.Corrupt(fileName, format.Name);
            return null;
        }
    }

    /// <summary>
    /// Decodes the original shrunk to fit inside a <paramref name="previewSize"/> square, upright and in sRGB. A JPEG is
    /// shrunk while it is decoded by the largest power of two that leaves it at least that size, as sharp does; libvips's
    /// own thumbnail leaves twice that margin, which decoded a 16 MP photo at full size for a 1440 px preview and took
    /// half the CPU of an import (bench/perf: 16 JPEGs, 1.22 s of libvips 8.14 CPU down to 0.83–0.96 s). The last step is
    /// the same Lanczos reduction either way.
    /// </summary>
    private static Image DecodeToPreviewSize(string path, ImageFormat format, int storedWidth, int storedHeight, bool hasProfile, int previewSize)
    {
        var options = new VOption { { "height", previewSize }, { "size", Enums.Size.Down } };
        if (hasProfile)
        {
            options.Add(LibvipsLoader.ThumbnailOutputProfile, SrgbProfile);
        }
        var shrink = format == ImageFormat.Jpeg ? JpegShrinkFor(Math.Max(storedWidth, storedHeight), previewSize) : 1;
        if (shrink == 1)
        {
            options.Add("fail_on", Enums.FailOn.Error);
            return (Image)Operation.Call("thumbnail", options, path, previewSize);
        }
        using var shrunk = Image.NewFromFile(path, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error, kwargs: new VOption { { "shrink", shrink } });
        return (Image)Operation.Call("thumbnail_image", options, shrunk, previewSize);
    }

    /// <summary>The largest shrink the JPEG decoder offers (1, 2, 4 or 8) that keeps the long side at least <paramref name="target"/>.</summary>
    internal static int JpegShrinkFor(int longSide, int target)
    {
        var shrink = 8;
        while (shrink > 1 && longSide / shrink < target)
        {
            shrink /= 2;
        }
        return shrink;
    }

    /// <summary>
    /// The memory a decoder takes up front when it cannot stream the file row by row: interlaced PNG and
    /// progressive JPEG (whose coefficients are 16-bit) are decoded whole, as are GIF, WebP, HEIF, AVIF,
    /// JPEG XL and JPEG 2000. Baseline JPEG, plain PNG and TIFF stream in strips: nothing up front.
    /// </summary>
    private static long WholeImageBytes(Image header, ImageFormat format)
    {
        var interlaced = header.Contains("interlaced") && header.Get("interlaced") is int flag && flag != 0;
        if (format == ImageFormat.Tiff || (!interlaced && (format == ImageFormat.Jpeg || format == ImageFormat.Png)))
        {
            return 0;
        }
        var bytesPerBand = header.Format switch
        {
            Enums.BandFormat.Uchar or Enums.BandFormat.Char => 1,
            Enums.BandFormat.Ushort or Enums.BandFormat.Short => 2,
            Enums.BandFormat.Complex or Enums.BandFormat.Double => 8,
            Enums.BandFormat.Dpcomplex => 16,
            _ => 4,
        };
        return (long)header.Width * header.Height * header.Bands * Math.Max(bytesPerBand, format == ImageFormat.Jpeg ? 2 : 1);
    }

    /// <summary>8-bit sRGB (CMYK, 16-bit and greyscale sources included), so JPEG and WebP can hold it.</summary>
    private static Image ToDisplayable(Image image)
    {
        var srgb = image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        if (srgb.Format == Enums.BandFormat.Uchar)
        {
            return srgb;
        }
        using (srgb)
        {
            return srgb.Cast(Enums.BandFormat.Uchar, shift: srgb.Format is Enums.BandFormat.Ushort or Enums.BandFormat.Short);
        }
    }

    /// <summary>The full-size dimensions after orientation (the preview is shrunk, the header is not).</summary>
    private static (int Width, int Height) SizeAsDisplayed(int storedWidth, int storedHeight, int orientation, Image preview)
    {
        var (width, height) = orientation >= 5 ? (storedHeight, storedWidth) : (storedWidth, storedHeight);
        // The preview is already rotated: trust its aspect ratio when a loader reports it differently.
        if ((preview.Width > preview.Height) != (width > height) && preview.Width != preview.Height)
        {
            (width, height) = (height, width);
        }
        return (width, height);
    }

    /// <summary>libvips keeps EXIF both as the raw block and as one field per tag (rebuilt into the block on save).</summary>
    private static bool IsPersonalMetadata(string field) =>
        field is "exif-data" or "xmp-data" or "iptc-data" || field.StartsWith("exif-", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a {Format} file whose content libvips reads as {Loader}")]
    private static partial void LogLoaderMismatch(ILogger logger, string format, string? loader);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped decoding a {Format} file after {Limit}")]
    private static partial void LogDecodeTimeout(ILogger logger, string format, TimeSpan limit);

    /// <summary>NetVips reports progress to an observer; only its cancellation is wanted here.</summary>
    private sealed class NoProgress : IProgress<int>
    {
        public static readonly NoProgress Instance = new();

        public void Report(int value)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not decode a {Format} file: {Reason}")]
    private static partial void LogDecodeFailure(ILogger logger, string format, string reason);
}
