namespace Keepsake.Hosting;

public static class OptionsExtensions
{
    /// <summary>Binds a settings section, validates its data annotations, and fails at start when they do not hold.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
