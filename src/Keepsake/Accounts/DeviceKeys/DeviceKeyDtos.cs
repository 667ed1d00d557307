namespace Keepsake.Accounts.DeviceKeys;

/// <summary>A new key's name (such as "Anna's phone") and scope: <c>full</c>, <c>upload</c> or <c>read</c>.</summary>
public sealed record CreateDeviceKeyDto(string? Name, string? Scope);

/// <summary>A key as listed: never the key or its hash.</summary>
public sealed record DeviceKeyDto(Guid Id, string Name, string Scope, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>A key just made; <see cref="Key"/> is shown this once and is kept nowhere but by the caller.</summary>
public sealed record CreatedDeviceKeyDto(Guid Id, string Key, string Name, string Scope, DateTime CreatedAt);
