using MetadataExtractor.Formats.Exif;
using MetadataExtractor.IO;
using Directory = MetadataExtractor.Directory;

namespace Keepsake.Photos.Metadata;

/// <summary>
/// MetadataExtractor's EXIF handler cut down to what Keepsake reads: IFD0, its Exif IFD and its GPS IFD,
/// each entered once, and only the tags <see cref="PhotoMetadataReader"/> uses, each a few hundred bytes at
/// most. Everything else (next IFDs, SubIFDs, maker notes, embedded XMP, ICC, IPTC and Photoshop blocks)
/// is skipped unread, so the library's recursive reader never goes more than two IFDs deep and copies no
/// large value, whatever the file says.
/// </summary>
internal sealed class ExifFieldsHandler(List<Directory> directories) : ExifTiffHandler(directories)
{
    private const int MaxValueBytes = 512;

    private static readonly HashSet<int> WantedTags =
    [
        ExifDirectoryBase.TagMake,
        ExifDirectoryBase.TagModel,
        ExifDirectoryBase.TagDateTime,
        ExifDirectoryBase.TagDateTimeOriginal,
        ExifDirectoryBase.TagDateTimeDigitized,
        ExifDirectoryBase.TagTimeZone,
        ExifDirectoryBase.TagTimeZoneOriginal,
        ExifDirectoryBase.TagTimeZoneDigitized,
        ExifDirectoryBase.TagLensModel,
        ExifDirectoryBase.TagExposureTime,
        ExifDirectoryBase.TagFNumber,
        ExifDirectoryBase.TagIsoEquivalent,
        ExifDirectoryBase.TagFocalLength,
        GpsDirectory.TagLatitudeRef,
        GpsDirectory.TagLatitude,
        GpsDirectory.TagLongitudeRef,
        GpsDirectory.TagLongitude,
        GpsDirectory.TagDateStamp,
        GpsDirectory.TagTimeStamp,
    ];

    private readonly HashSet<int> _entered = [];

    public override bool TryEnterSubIfd(int tagId) =>
        CurrentDirectory is ExifIfd0Directory
        && tagId is ExifIfd0Directory.TagExifSubIfdOffset or ExifIfd0Directory.TagGpsInfoOffset
        && _entered.Add(tagId)
        && base.TryEnterSubIfd(tagId);

    public override bool HasFollowerIfd() => false;

    /// <summary>True means "handled": an unwanted or oversized tag is dropped here instead of read.</summary>
    public override bool CustomProcessTag(int tagOffset, ICollection<int> processedIfdOffsets, IndexedReader reader, int tagId, int byteCount) =>
        !WantedTags.Contains(tagId) || byteCount > MaxValueBytes;
}
