using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Keepsake.Operations;

public static class KeepsakeCoreExtensions
{
    public const string EnvironmentPrefix = "KEEPSAKE_";

    /// <summary>What both the server and every command-line verb need: settings, database, storage, photos, accounts.</summary>
    public static IHostApplicationBuilder AddKeepsakeCore(this IHostApplicationBuilder builder)
    {
        AddPrefixedEnvironment(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKeepsakeData()
            .AddKeepsakeStorage()
            .AddKeepsakePhotos()
            .AddKeepsakeAccounts();
        builder.Services.AddScoped<Fsck>();
        return builder;
    }

    /// <summary>
    /// <c>KEEPSAKE_Storage__Path</c> sets <c>Storage:Path</c>. The source goes before the command line so
    /// that an explicit argument still wins over the environment.
    /// </summary>
    private static void AddPrefixedEnvironment(IConfigurationManager configuration)
    {
        var source = new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix };
        var commandLine = configuration.Sources.OfType<CommandLineConfigurationSource>().FirstOrDefault();
        if (commandLine is null)
        {
            configuration.Sources.Add(source);
        }
        else
        {
            configuration.Sources.Insert(configuration.Sources.IndexOf(commandLine), source);
        }
    }
}
