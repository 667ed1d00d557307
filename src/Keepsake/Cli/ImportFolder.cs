using System.IO.Enumeration;
using Keepsake.Photos;

namespace Keepsake.Cli;

/// <summary>What an entry below an import's folder is to the import.</summary>
internal enum ImportEntryKind
{
    Photo,
    NotPhoto,
    LinkedFolder,
}

/// <summary>An entry below an import's folder: its full path and what it is.</summary>
internal readonly record struct ImportEntry(string FullPath, ImportEntryKind Kind);

/// <summary>What a walk of an import's folder found, counted.</summary>
internal sealed record ImportFolderCount(int Photos, int NotPhotos, IReadOnlyList<string> LinkedFolders);

/// <summary>
/// The entries below an import's folder, streamed one folder at a time in the order of their full paths (ordinal), so
/// a run lists what it does in the same order every time and holds no more than one folder's names at once, however
/// large the tree. Linked folders are reported, not entered: one may lead out of the folder, or to a parent, which
/// would loop until the OS gives up (ELOOP).
/// </summary>
internal static class ImportFolder
{
    private static readonly EnumerationOptions Options = new() { IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System };

    /// <summary>Every entry below <paramref name="root"/>; folders are entered in place, where their path sorts.</summary>
    public static IEnumerable<ImportEntry> Walk(string root)
    {
        foreach (var (path, isFolder, isLink) in SortedEntries(root))
        {
            if (!isFolder)
            {
                yield return new ImportEntry(path, ImageFormat.PhotoExtensions.Contains(Path.GetExtension(path)) ? ImportEntryKind.Photo : ImportEntryKind.NotPhoto);
            }
            else if (isLink)
            {
                yield return new ImportEntry(path, ImportEntryKind.LinkedFolder);
            }
            else
            {
                foreach (var entry in Walk(path))
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>The photos and other files below <paramref name="root"/>, and its linked folders (few: they are kept), in one walk.</summary>
    public static ImportFolderCount Count(string root, CancellationToken cancellationToken)
    {
        var (photos, notPhotos, linked) = (0, 0, new List<string>());
        foreach (var entry in Walk(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (entry.Kind)
            {
                case ImportEntryKind.Photo:
                    photos++;
                    break;
                case ImportEntryKind.NotPhoto:
                    notPhotos++;
                    break;
                default:
                    linked.Add(entry.FullPath);
                    break;
            }
        }
        return new ImportFolderCount(photos, notPhotos, linked);
    }

    /// <summary>
    /// The entries of one folder, sorted as their full paths would sort: a folder's key is its name and a slash, so the
    /// entries below it fall exactly where they would in one sorted list of the whole tree.
    /// </summary>
    private static List<(string Path, bool IsFolder, bool IsLink)> SortedEntries(string folder)
    {
        var entries = new FileSystemEnumerable<(string Path, bool IsFolder, bool IsLink)>(folder,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0), Options).ToList();
        entries.Sort((a, b) => string.CompareOrdinal(SortKey(a), SortKey(b)));
        return entries;
    }

    private static string SortKey((string Path, bool IsFolder, bool IsLink) entry) => entry.IsFolder && !entry.IsLink ? entry.Path + "/" : entry.Path;
}
