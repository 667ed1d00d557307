using Keepsake.Tests.Infrastructure;
using static Keepsake.Tests.Backups.PhotoBackupTestKit;

namespace Keepsake.Tests.Backups;

/// <summary>One app for the class, its photo copies in a folder of its own; its gauges read the verifications every second.</summary>
public sealed class SharedPhotoBackupApp : SharedKeepsakeApp
{
    private readonly TemporaryFolder _target;

    public SharedPhotoBackupApp()
        : this(new TemporaryFolder())
    {
    }

    private SharedPhotoBackupApp(TemporaryFolder target)
        : base(new Dictionary<string, string?>(FolderTarget(target.Path)) { ["Management:BackupStatisticsInterval"] = "00:00:01" }) => _target = target;

    public string TargetPath => _target.Path;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _target.Dispose();
    }
}
