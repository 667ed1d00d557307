using k8s.Models;
using Keepsake.Deploy.Tests.Infrastructure;

namespace Keepsake.Deploy.Tests;

/// <summary>On the cluster stages a CronJob copies the photos each hour after the database backup, as the embedded server's timer does.</summary>
public sealed class PhotoBackupCronJobTests
{
    public static TheoryData<string> StagesWithPhotoBackups => ["staging", "prod"];

    private static string Describe(object? value) => value is null ? "none" : k8s.KubernetesJson.Serialize(value);

    private static int Minute(string schedule)
    {
        Assert.Matches(@"^\d+ \* \* \* \*$", schedule);
        return int.Parse(schedule.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [MemberData(nameof(StagesWithPhotoBackups))]
    public async Task Photos_are_copied_hourly_after_the_database_backup_with_its_settings_and_one_run_at_a_time(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var photos = rendered.Single<V1CronJob>("keepsake-backup-photos").Spec;
        var backup = rendered.Single<V1CronJob>("keepsake-backup-create").Spec;
        var pod = photos.JobTemplate.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var backupContainer = backup.JobTemplate.Spec.Template.Spec.Containers.Single();

        Assert.Equal(["backup", "photos"], container.Args);
        Assert.InRange(Minute(photos.Schedule) - Minute(backup.Schedule), 1, 30);
        Assert.Equal(backup.TimeZone, photos.TimeZone);
        Assert.Equal("Forbid", photos.ConcurrencyPolicy);
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.True(photos.JobTemplate.Spec.ActiveDeadlineSeconds >= backup.JobTemplate.Spec.ActiveDeadlineSeconds);
        // The same settings, database and secrets as the backup it follows: Backups:Photos is set where the stage's other settings are.
        Assert.Equal(Describe(backupContainer.EnvFrom), Describe(container.EnvFrom));
        Assert.Equal(Describe(backupContainer.Env), Describe(container.Env));
        Assert.Equal(Describe(backup.JobTemplate.Spec.Template.Spec.SecurityContext), Describe(pod.SecurityContext));
        Assert.Equal(Describe(backupContainer.SecurityContext), Describe(container.SecurityContext));
        // Exit 3 is "another run is under way": that run does the copying, a retry would only find it again.
        var rule = Assert.Single(photos.JobTemplate.Spec.PodFailurePolicy.Rules);
        Assert.Equal("FailJob", rule.Action);
        Assert.Equal(("backup-photos", "In"), (rule.OnExitCodes.ContainerName, rule.OnExitCodes.OperatorProperty));
        Assert.Equal([3], rule.OnExitCodes.Values);
    }
}
