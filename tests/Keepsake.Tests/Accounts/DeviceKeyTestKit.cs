using System.Net.Http.Headers;
using System.Net.Http.Json;
using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keepsake.Tests.Accounts;

/// <summary>Device keys made through the API, and clients that send one the way a phone does: no cookies, no antiforgery token.</summary>
public static class DeviceKeyTestKit
{
    public static async Task<CreatedDeviceKeyDto> CreateKeyAsync(this HttpClient session, string scope, string name = "Anna's phone") =>
        await (await session.PostAsJsonAsync("/api/auth/keys", new CreateDeviceKeyDto(name, scope))).ReadAsync<CreatedDeviceKeyDto>();

    public static async Task<List<DeviceKeyDto>> ListKeysAsync(this HttpClient session) =>
        await (await session.GetAsync("/api/auth/keys")).ReadAsync<List<DeviceKeyDto>>();

    /// <summary>A client with nothing but the Authorization header.</summary>
    public static HttpClient BearerClient(this WebApplicationFactory<Program> server, string key)
    {
        var client = server.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A fresh user's session and a client holding a new key of theirs with the scope.</summary>
    public static async Task<(HttpClient Session, HttpClient Device, CreatedDeviceKeyDto Key)> UserWithKeyAsync(SharedKeepsakeApp shared, string scope)
    {
        var session = await shared.NewUserAsync();
        var key = await session.CreateKeyAsync(scope);
        return (session, shared.Server.BearerClient(key.Key), key);
    }

    public static async Task<Guid> MyIdAsync(this HttpClient session) => (await (await session.GetAsync("/api/auth/me")).ReadAsync<UserDto>()).Id;
}
