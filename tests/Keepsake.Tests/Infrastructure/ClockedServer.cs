using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Keepsake.Tests.Infrastructure;

/// <summary>A <see cref="KeepsakeApp"/> whose clock the test sets (for link expiry); see <see cref="BrowserClients"/> for its clients.</summary>
public static class ClockedServer
{
    public static WebApplicationFactory<Program> WithClock(this KeepsakeApp app, TimeProvider clock) =>
        app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(clock)));
}
