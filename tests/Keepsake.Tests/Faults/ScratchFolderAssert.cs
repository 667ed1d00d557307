using System.Runtime.Versioning;
using Keepsake.Storage;

namespace Keepsake.Tests.Faults;

/// <summary>What a scratch folder left by a killed run must be: readable by nobody but Keepsake's user.</summary>
[SupportedOSPlatform("linux")]
public static class ScratchFolderAssert
{
    /// <summary>The folder is 0700 and every file below it 0600 (the uncompressed database copies of a backup verb among them).</summary>
    public static void Private(string folder)
    {
        Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(folder));
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.GetUnixFileMode(file) == PrivateFiles.FileMode, $"{file} is {File.GetUnixFileMode(file)}, not private");
        }
    }
}
