using System.Globalization;
using Keepsake.Photos.Metadata;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Tiff;
using MetadataExtractor.IO;
using Directory = MetadataExtractor.Directory;

namespace Keepsake.Photos;

/// <summary>What a photo says about itself; every field is absent when the file does not say it sensibly.</summary>
public sealed record PhotoMetadata
{
    public static readonly PhotoMetadata None = new();

    public DateTime? TakenAt { get; init; }
    public int? TakenAtOffsetMinutes { get; init; }

    /// <summary>Where <see cref="TakenAt"/> came from (<see cref="DateSource"/>).</summary>
    public string? TakenAtSource { get; init; }
    public string? CameraMake { get; init; }
    public string? CameraModel { get; init; }
    public string? Lens { get; init; }
    public string? ExposureTime { get; init; }
    public double? FNumber { get; init; }
    public int? Iso { get; init; }
    public double? FocalLengthMm { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
}

/// <summary>What a photo says about itself, or why its structure is refused.</summary>
public sealed record MetadataOutcome(PhotoMetadata Metadata, Rejection? Rejection);

/// <summary>
/// Reads EXIF with MetadataExtractor, and XMP and IPTC for the capture time (<see cref="CaptureDates"/>). Real files
/// carry broken EXIF (blank or impossible dates, GPS out of range, tags in the wrong IFD, fuzzed boxes): every such
/// value is dropped, never guessed at. Hostile files carry structures built to exhaust a parser: the metadata blocks
/// are located by Keepsake's own bounded walks (<see cref="MetadataBlocks"/>, <see cref="IsoBoxes"/>), EXIF is checked
/// by <see cref="TiffStructure"/> and only then read, with a handler that enters no more than IFD0, Exif and GPS.
/// </summary>
public sealed partial class PhotoMetadataReader(TimeProvider time, ILogger<PhotoMetadataReader> logger)
{
    private const int MaxTextLength = 128;

    /// <summary>
    /// What the file at <paramref name="path"/> says about itself; <paramref name="fileName"/> and
    /// <paramref name="fileTime"/> (when the file was last changed, if its source knows) are the last resorts for its date.
    /// </summary>
    public MetadataOutcome Read(string path, ImageFormat format, string fileName, DateTime? fileTime = null)
    {
        IReadOnlyList<Directory> directories;
        MetadataBlocks blocks;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
            if (RefusedStructure(file, format, fileName) is { } rejection)
            {
                return new MetadataOutcome(PhotoMetadata.None, rejection);
            }
            blocks = FindBlocks(file, format);
            directories = ReadExif(file, format, blocks.Exif);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A parser of hostile input fails in many ways (fuzzed boxes, lengths past the end of file);
            // any failure only means the photo is stored without metadata.
            LogUnreadable(logger, e.GetType().Name);
            return new MetadataOutcome(WithDate(PhotoMetadata.None, new DateEvidence(null, null, null, null, null, fileName, fileTime)), null);
        }
        var evidence = new DateEvidence(
            directories.OfType<ExifSubIfdDirectory>().FirstOrDefault(), directories.OfType<ExifIfd0Directory>().FirstOrDefault(),
            directories.OfType<GpsDirectory>().FirstOrDefault(), blocks.Xmp, blocks.Iptc, fileName, fileTime);
        return new MetadataOutcome(WithDate(ToMetadata(directories), evidence), null);
    }

    private PhotoMetadata WithDate(PhotoMetadata read, DateEvidence evidence) =>
        CaptureDates.Choose(evidence, time.GetUtcNow().UtcDateTime) is { } taken
            ? read with { TakenAt = taken.Local, TakenAtOffsetMinutes = taken.OffsetMinutes, TakenAtSource = taken.Source }
            : read;

    /// <summary>A TIFF or HEIF file whose own structure is past the limits is no photo; refused before any decoder opens it.</summary>
    private Rejection? RefusedStructure(FileStream file, ImageFormat format, string fileName)
    {
        string? reason = null;
        if (format == ImageFormat.Tiff && TiffStructure.Check(file.Length, (offset, buffer) => RandomAccess.Read(file.SafeFileHandle, buffer, offset)) is var verdict and not TiffVerdict.Readable)
        {
            reason = verdict.ToString();
        }
        else if ((format == ImageFormat.Heic || format == ImageFormat.Avif) && !IsoBoxes.IsWithinLimits(file))
        {
            reason = "BoxLimits";
        }
        if (reason is null)
        {
            return null;
        }
        LogStructureRefused(logger, format.Name, reason);
        return new Rejection(StatusCodes.Status422UnprocessableEntity, "Unreadable photo structure",
            $"'{fileName}' is a {format.Name.ToUpperInvariant()} file whose internal structure nests deeper or repeats more often than any real photo's, so it was not stored.");
    }

    /// <summary>The file's metadata blocks, each bounded; a TIFF file is its own EXIF structure, read in place.</summary>
    private static MetadataBlocks FindBlocks(FileStream file, ImageFormat format) => format.Name switch
    {
        "jpeg" => MetadataBlocks.FromJpeg(file),
        "png" => MetadataBlocks.FromPng(file),
        "webp" => MetadataBlocks.FromWebp(file),
        "heic" or "avif" => new MetadataBlocks(IsoBoxes.FindExif(file)),
        _ => MetadataBlocks.None, // GIF has no EXIF; JPEG XL and JPEG 2000 metadata is not read
    };

    /// <summary>IFD0, Exif and GPS of the file's EXIF block; nothing when it has none or it is past the limits.</summary>
    private IReadOnlyList<Directory> ReadExif(FileStream file, ImageFormat format, byte[]? exif)
    {
        var directories = new List<Directory>();
        if (format == ImageFormat.Tiff)
        {
            // The TIFF file is the EXIF structure, already checked above.
            TiffReader.ProcessTiff(new IndexedSeekingReader(file), new ExifFieldsHandler(directories));
            return directories;
        }
        if (exif is null || exif.Length < 8)
        {
            return directories;
        }
        if (TiffStructure.Check(exif) is var verdict and not TiffVerdict.Readable)
        {
            LogExifRefused(logger, format.Name, verdict.ToString());
            return directories;
        }
        TiffReader.ProcessTiff(new ByteArrayReader(exif), new ExifFieldsHandler(directories));
        return directories;
    }

    private static PhotoMetadata ToMetadata(IReadOnlyList<Directory> directories)
    {
        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var exif = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();
        var (latitude, longitude) = ReadLocation(gps);
        return new PhotoMetadata
        {
            CameraMake = Text(ifd0, ExifDirectoryBase.TagMake),
            CameraModel = Text(ifd0, ExifDirectoryBase.TagModel),
            Lens = Text(exif, ExifDirectoryBase.TagLensModel),
            ExposureTime = Exposure(exif),
            FNumber = Positive(exif, ExifDirectoryBase.TagFNumber),
            Iso = exif is not null && exif.TryGetInt32(ExifDirectoryBase.TagIsoEquivalent, out var iso) && iso > 0 ? iso : null,
            FocalLengthMm = Positive(exif, ExifDirectoryBase.TagFocalLength),
            Latitude = latitude,
            Longitude = longitude,
        };
    }

    private static (double? Latitude, double? Longitude) ReadLocation(GpsDirectory? gps)
    {
        var location = gps?.GetGeoLocation();
        if (location is null)
        {
            return (null, null);
        }
        var (latitude, longitude) = (location.Latitude, location.Longitude);
        var valid = double.IsFinite(latitude) && double.IsFinite(longitude)
            && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180
            // 0,0 is what broken GPS units write when they have no fix, not a place anyone stood.
            && !(latitude == 0 && longitude == 0);
        return valid ? (Math.Round(latitude, 6), Math.Round(longitude, 6)) : (null, null);
    }

    private static string? Exposure(Directory? exif)
    {
        if (exif is null || !exif.TryGetRational(ExifDirectoryBase.TagExposureTime, out var rational) || rational.Numerator <= 0 || rational.Denominator <= 0)
        {
            return null;
        }
        var seconds = rational.ToDouble();
        if (seconds >= 1)
        {
            return seconds.ToString("0.#", CultureInfo.InvariantCulture);
        }
        return "1/" + Math.Round(1 / seconds).ToString(CultureInfo.InvariantCulture);
    }

    private static double? Positive(Directory? directory, int tag) =>
        directory is not null && directory.TryGetRational(tag, out var value) && value.Denominator != 0 && value.ToDouble() is var d && double.IsFinite(d) && d > 0
            ? Math.Round(d, 2)
            : null;

    private static string? Text(Directory? directory, int tag)
    {
        var text = directory?.GetString(tag)?.Replace("\0", "", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return text.Length > MaxTextLength ? text[..MaxTextLength] : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the metadata of a file ({Error}); storing it without")]
    private static partial void LogUnreadable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Format} file whose structure is past the parser limits ({Reason})")]
    private static partial void LogStructureRefused(ILogger logger, string format, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored the EXIF of a {Format} file: its structure is past the parser limits ({Reason}); storing the photo without metadata")]
    private static partial void LogExifRefused(ILogger logger, string format, string reason);
}
