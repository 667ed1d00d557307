using System.IO.Enumeration;

namespace Keepsake.Storage;

/// <summary>Where a feature makes its <see cref="ScratchFolder"/>s: a name prefix and the parent folder (null: the temporary folder).</summary>
public sealed record ScratchArea(string Prefix, string? Parent);

/// <summary>
/// Removes the scratch folders of runs that died (SIGKILL, an OOM kill, a power cut) at the start of the next run,
/// server or command-line verb. A folder is stale when nobody holds its <see cref="ScratchFolder.OwnerFileName"/>
/// lock; one still being made (<see cref="ScratchFolder.MakingMark"/>: killed in the instant between making it and
/// locking its owner file) or without that file (an older release's) counts only once older than
/// <see cref="UnownedAge"/>. Features register their areas with <see cref="ScratchAreaExtensions.AddScratchArea"/>.
/// </summary>
public sealed partial class ScratchAreas(IEnumerable<Func<IServiceProvider, ScratchArea>> areas, IServiceProvider services, ILogger<ScratchAreas> logger)
{
    public static readonly TimeSpan UnownedAge = TimeSpan.FromMinutes(10);

    public IReadOnlyList<ScratchArea> All => areas.Select(area => area(services)).ToList();

    /// <summary>Removes every stale folder of every area and returns their paths; a parent that cannot be read is skipped.</summary>
    public IReadOnlyList<string> SweepStale()
    {
        var removed = new List<string>();
        foreach (var area in All.Distinct())
        {
            foreach (var folder in Candidates(area))
            {
                if (TryRemoveStale(folder))
                {
                    removed.Add(folder);
                    LogRemoved(logger, folder);
                }
            }
        }
        return removed;
    }

    /// <summary>The area's folders, and those a run was still making (<see cref="ScratchFolder.MakingMark"/>).</summary>
    private static IEnumerable<string> Candidates(ScratchArea area)
    {
        var parent = ScratchFolder.ParentOf(area.Parent);
        if (!Directory.Exists(parent))
        {
            return [];
        }
        var making = ScratchFolder.MakingMark + area.Prefix;
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return new FileSystemEnumerable<string>(parent, (ref FileSystemEntry entry) => entry.ToFullPath(), options)
        {
            // Never a link: only folders this code made, which are real folders. The name is tested first: the parent may
            // be the system's temporary folder, with thousands of entries, and reading an entry's attributes costs a stat.
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                (entry.FileName.StartsWith(area.Prefix, StringComparison.Ordinal) || entry.FileName.StartsWith(making, StringComparison.Ordinal))
                && entry.IsDirectory
                && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        }.ToList();
    }

    /// <remarks>
    /// An unowned folder's age is measured on the system clock, never the services' <see cref="TimeProvider"/>: the
    /// kernel stamped its time, and a clock set ahead (as tests set it) would take a folder made an instant ago, whose
    /// owner has yet to lock it, for an old one.
    /// </remarks>
    private static bool TryRemoveStale(string folder)
    {
        var ownerFile = Path.Combine(folder, ScratchFolder.OwnerFileName);
        try
        {
            // A folder still being made may hold an owner file not yet locked: only its age tells a dead run's.
            if (Path.GetFileName(folder).StartsWith(ScratchFolder.MakingMark, StringComparison.Ordinal) || !File.Exists(ownerFile))
            {
                if (TimeProvider.System.GetUtcNow() - Directory.GetLastWriteTimeUtc(folder) < UnownedAge)
                {
                    return false;
                }
                Directory.Delete(folder, recursive: true);
                return true;
            }
            // Held while we delete, so no other sweeper takes it for a live folder's.
            using var owner = new FileStream(ownerFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Locked by a live run, someone else's, or removed by another sweeper meanwhile.
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Folder}, the scratch folder of a run that ended without cleaning up")]
    private static partial void LogRemoved(ILogger logger, string folder);
}

public static class ScratchAreaExtensions
{
    /// <summary>Registers an area whose stale folders the start of every run removes.</summary>
    public static IServiceCollection AddScratchArea(this IServiceCollection services, Func<IServiceProvider, ScratchArea> area)
    {
        // The type named: AddSingleton(area) alone takes the function for a factory of a ScratchArea, and ScratchAreas gets none.
        services.AddSingleton<Func<IServiceProvider, ScratchArea>>(area);
        return services;
    }
}
