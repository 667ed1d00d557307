using System.ComponentModel.DataAnnotations;

namespace Keepsake.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>Failed logins (or share-link passwords) one client address may make per window before it must wait.</summary>
    [Range(1, 10_000)]
    public int FailedLoginLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;
}
