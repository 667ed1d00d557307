using System.ComponentModel.DataAnnotations;

namespace Keepsake.Accounts;

public sealed class AccountsOptions : IValidatableObject
{
    public const string Section = "Accounts";

    /// <summary>Longest password accepted anywhere; longer ones are refused before they are hashed.</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>Failed passwords one client may make against one account (or one share link, from anywhere)
    /// before every further one makes it wait, <see cref="FailedLoginFirstDelay"/> and doubling.</summary>
    [Range(1, 10_000)]
    public int FailedLoginLimit { get; set; } = 10;

    /// <summary>Failed logins one client address may make over all accounts before it waits likewise.</summary>
    [Range(1, 100_000)]
    public int FailedLoginLimitPerAddress { get; set; } = 50;

    /// <summary>How long failures are remembered after the last one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first wait past the free failures; each further failure doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FailedLoginFirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait a run of failures leads to.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedLoginMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FailedLoginWindow < FailedLoginMaxDelay)
        {
            yield return new ValidationResult("Accounts:FailedLoginWindow must be at least Accounts:FailedLoginMaxDelay, or a guesser who waits out the delay starts afresh.",
                [nameof(FailedLoginWindow)]);
        }
        if (FailedLoginFirstDelay > FailedLoginMaxDelay)
        {
            yield return new ValidationResult("Accounts:FailedLoginFirstDelay must be at most Accounts:FailedLoginMaxDelay.", [nameof(FailedLoginFirstDelay)]);
        }
    }
}
