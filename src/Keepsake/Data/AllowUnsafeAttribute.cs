namespace Keepsake.Data;

/// <summary>
/// Marks a migration that deliberately does what <c>keepsake migrate lint</c> refuses (a contract step:
/// dropping a column the previous release no longer reads, say), naming the rule and why it is safe now.
/// The lint reports what it allowed and the reason; a marker without a reason allows nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class AllowUnsafeAttribute(string rule, string reason) : Attribute
{
    /// <summary>The lint rule, e.g. <c>ban-drop-column</c> (see <see cref="MigrationLint.Rules"/>).</summary>
    public string Rule { get; } = rule;

    /// <summary>Why the previous release can run against the schema after this migration.</summary>
    public string Reason { get; } = reason;
}
