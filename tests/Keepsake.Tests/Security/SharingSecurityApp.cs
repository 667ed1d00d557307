using Keepsake.Tests.Infrastructure;

namespace Keepsake.Tests.Security;

/// <summary>One server for a test class whose tests do not interfere: each test signs in a user of its own.</summary>
public sealed class SharingSecurityApp : IDisposable
{
    private readonly Lazy<Task<HttpClient>> _owner;

    public SharingSecurityApp()
    {
        _owner = new Lazy<Task<HttpClient>>(() => App.CreateOwnerAsync());
    }

    public KeepsakeApp App { get; } = new();

    /// <summary>A new user, signed in on a client of their own.</summary>
    public async Task<HttpClient> NewUserAsync() =>
        await App.CreateUserAsync(await _owner.Value, $"user-{Guid.NewGuid():N}@example.com");

    /// <summary>A client with no session, as a stranger's browser.</summary>
    public HttpClient Stranger() => App.CreateUserClient();

    public void Dispose() => App.Dispose();
}
