using Keepsake.Accounts;
using Keepsake.Albums;
using Keepsake.Backups;
using Keepsake.Data;
using Keepsake.Hosting;
using Keepsake.Integrity;
using Keepsake.Observability;
using Keepsake.Outbound;
using Keepsake.Photos;
using Keepsake.Photos.Trash;
using Keepsake.Privacy;
using Keepsake.Secrets;
using Keepsake.Search;
using Keepsake.Sharing;
using Keepsake.Storage;
using Keepsake.Uploads;
using Keepsake.Weather;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Keepsake;

public static class KeepsakeCoreExtensions
{
    public const string EnvironmentPrefix = "KEEPSAKE_";

    /// <summary>What both the server and every command-line verb need: settings, database, storage, photos, accounts.</summary>
    public static IHostApplicationBuilder AddKeepsakeCore(this IHostApplicationBuilder builder)
    {
        AddPrefixedEnvironment(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KeepsakeMetrics>();
        builder.Services.AddKeepsakeSecrets();
        builder.Services.AddKeepsakeOutbound();
        builder.AddKeepsakeData()
            .AddKeepsakeStorage()
            .AddKeepsakePhotos()
            .AddKeepsakeAccounts()
            .AddKeepsakeCache();
        builder.Services.AddScoped<Fsck>();
        builder.Services.AddScoped<OriginalRestorer>();
        builder.Services.AddKeepsakeTrash();
        builder.Services.AddKeepsakeAlbums();
        builder.Services.AddKeepsakeSearch();
        // The CLI forgets cached share links too (after a restore), so sharing's services are part of the core.
        builder.Services.AddKeepsakeSharing();
        builder.Services.AddKeepsakeBackups();
        builder.Services.AddKeepsakeWeather();
        builder.Services.AddKeepsakePrivacy();
        builder.Services.AddKeepsakeUploads();
        return builder;
    }

    /// <summary>
    /// <c>KEEPSAKE_Storage__Path</c> sets <c>Storage:Path</c>. The source goes before the command line so
    /// that an explicit argument still wins over the environment: before the last command-line source, since the
    /// host's own settings put an earlier one in front of appsettings.json.
    /// </summary>
    private static void AddPrefixedEnvironment(IConfigurationManager configuration)
    {
        var source = new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix };
        var commandLine = configuration.Sources.OfType<CommandLineConfigurationSource>().LastOrDefault();
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
