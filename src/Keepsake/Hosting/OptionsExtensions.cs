using Microsoft.Extensions.Options;

namespace Keepsake.Hosting;

public static class OptionsExtensions
{
    /// <summary>Binds a settings section, validates it (<see cref="SettingsValidation{TOptions}"/>), and fails at start when it does not hold.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidation<TOptions>(section));
        return services;
    }
}
