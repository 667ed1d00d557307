using Keepsake.Data;

namespace Keepsake.Accounts;

public sealed record SetupStatusDto(bool Needed);

public sealed record CredentialsDto(string Email, string Password);

public sealed record UserDto(Guid Id, string Email, bool IsAdmin, DateTime CreatedAt, bool Disabled = false);

/// <summary>An admin's change to an account; a field left out stays as it is.</summary>
public sealed record UpdateUserDto(bool? IsAdmin, bool? Disabled);

/// <summary>An admin's new password for a user who lost theirs.</summary>
public sealed record ResetPasswordDto(string Password);

public sealed record ChangePasswordDto(string CurrentPassword, string NewPassword);

public sealed record CreateUserDto(string Email, string Password, bool IsAdmin);

public sealed record AntiforgeryTokenDto(string Token, string HeaderName);

public static class AccountMapping
{
    public static UserDto ToDto(this KeepsakeUser user) => new(user.Id, user.Email!, user.IsAdmin, user.CreatedAt, user.IsDisabled);
}
