using Keepsake.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Keepsake.Secrets;

public static class SecretsExtensions
{
    /// <summary>The key-encryption key and the re-sealing of keys stored in the clear (server and verbs).</summary>
    public static IServiceCollection AddKeepsakeSecrets(this IServiceCollection services)
    {
        services.AddValidatedOptions<KeyEncryptionOptions>(KeyEncryptionOptions.Section);
        services.AddSingleton<KeyEncryptionKey>();
        services.AddScoped<KeyRingReprotection>();
        return services;
    }

    /// <summary>Every data-protection key is sealed with the key-encryption key before it is stored.</summary>
    public static IDataProtectionBuilder ProtectKeysWithKeyEncryptionKey(this IDataProtectionBuilder builder)
    {
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<KeyEncryptionKey>((options, kek) => options.XmlEncryptor = new KeyRingEncryptor(kek));
        return builder;
    }

    /// <summary>Seals keys left in the clear by an earlier release before the server reads its key ring; register it
    /// after the embedded database is migrated and before data protection starts.</summary>
    public static IServiceCollection AddKeyRingSealingAtStart(this IServiceCollection services) =>
        services.AddHostedService<KeyRingSealingAtStart>();
}
