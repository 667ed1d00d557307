namespace Keepsake.Ks.Processes;

/// <summary>Where a program is found: the repository's <c>.deps/</c> first (the pinned tools), then the PATH ks was given.</summary>
internal static class ExecutableSearch
{
    public static string? Find(KsContext context, string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.Combine(context.RepositoryRoot, program);
            return File.Exists(path) ? path : null;
        }
        var folders = new[] { context.DepsFolder }.Concat((context.Variable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        var names = OperatingSystem.IsWindows() ? [program + ".exe", program] : new[] { program };
        return folders.SelectMany(folder => names.Select(name => Path.Combine(folder, name))).FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
