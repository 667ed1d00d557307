namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// One <see cref="KeepsakeApp"/> (with its real database and storage) for every test of a class, through
/// <c>IClassFixture&lt;SharedKeepsakeApp&gt;</c>: first-run setup is done once, by <see cref="Admin"/>, and each test works
/// as users of its own (<see cref="NewUserAsync()"/>), so no test sees another's photos, albums or links. A test whose
/// subject is the whole app (first-run setup, every file in the store, totals, restarts, settings) keeps an app of its own.
/// </summary>
public sealed class SharedKeepsakeApp : IAsyncLifetime
{
    private int _users;

    public KeepsakeApp App { get; } = new();

    /// <summary>The admin who set the app up; creates every test's users.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync() => Admin = await App.CreateOwnerAsync("admin@example.com");

    /// <summary>An e-mail address nobody in the app has yet, e.g. <c>alice-3@example.com</c>.</summary>
    public string NewEmail(string name = "user") => $"{name}-{Interlocked.Increment(ref _users)}@example.com";

    /// <summary>A fresh user the admin created, signed in on a client of their own.</summary>
    public Task<HttpClient> NewUserAsync() => NewUserAsync(NewEmail());

    /// <summary>A fresh user with this (unused) address, signed in on a client of their own.</summary>
    public Task<HttpClient> NewUserAsync(string email, bool isAdmin = false) => App.CreateUserAsync(Admin, email, isAdmin);

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
