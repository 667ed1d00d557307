using System.Net.Http.Json;
using Keepsake.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keepsake.Tests.Infrastructure;

/// <summary>
/// One <see cref="KeepsakeApp"/> (with its real database and storage) for every test of a class, through
/// <c>IClassFixture&lt;SharedKeepsakeApp&gt;</c>: first-run setup is done once, by <see cref="Admin"/>, and each test works
/// as users of its own (<see cref="NewUserAsync()"/>), so no test sees another's photos, albums or links. A test whose
/// subject is the whole app (first-run setup, every file in the store, totals, restarts, settings) keeps an app of its own.
/// </summary>
public class SharedKeepsakeApp : IAsyncLifetime
{
    private int _users;

    public SharedKeepsakeApp()
        : this(clock: null)
    {
    }

    protected SharedKeepsakeApp(TimeProvider? clock)
    {
        App = new KeepsakeApp();
        Server = clock is null ? App : App.WithClock(clock);
    }

    /// <summary>An app on settings of the test class's own (e.g. a photo backup target), over the stack's defaults.</summary>
    protected SharedKeepsakeApp(IDictionary<string, string?> settings)
    {
        App = new KeepsakeApp(settings);
        Server = App;
    }

    public KeepsakeApp App { get; }

    /// <summary>The server the tests call: the app itself, or the app on the test class's clock.</summary>
    public WebApplicationFactory<Program> Server { get; }

    /// <summary>The admin who set the app up; creates every test's users.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync() => Admin = await Server.SetUpOwnerAsync("admin@example.com");

    /// <summary>An e-mail address nobody in the app has yet, e.g. <c>alice-3@example.com</c>.</summary>
    public string NewEmail(string name = "user") => $"{name}-{Interlocked.Increment(ref _users)}@example.com";

    /// <summary>A fresh user the admin created, signed in on a client of their own.</summary>
    public Task<HttpClient> NewUserAsync() => NewUserAsync(NewEmail());

    /// <summary>A fresh user with this (unused) address, signed in on a client of their own.</summary>
    public async Task<HttpClient> NewUserAsync(string email, bool isAdmin = false)
    {
        await (await Admin.PostAsJsonAsync("/api/admin/users", new CreateUserDto(email, KeepsakeApp.DefaultPassword, isAdmin))).EnsureSuccessAsync();
        var client = Server.CreateBrowserClient();
        await (await client.PostAsJsonAsync("/api/auth/login", new CredentialsDto(email, KeepsakeApp.DefaultPassword))).EnsureSuccessAsync();
        return client;
    }

    public virtual Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>A <see cref="SharedKeepsakeApp"/> on a clock the tests move (for link expiry); moving it moves it for every test of the class.</summary>
public sealed class SharedClockedKeepsakeApp : SharedKeepsakeApp
{
    public SharedClockedKeepsakeApp()
        : this(new FakeTimeProvider(DateTimeOffset.UtcNow))
    {
    }

    private SharedClockedKeepsakeApp(FakeTimeProvider clock)
        : base(clock) => Clock = clock;

    public FakeTimeProvider Clock { get; }
}
