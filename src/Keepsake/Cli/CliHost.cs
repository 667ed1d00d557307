using Keepsake.Backups;
using Keepsake.Storage;

namespace Keepsake.Cli;

/// <summary>
/// The services of a command-line verb: the same core as the server, quiet logs on the terminal's standard error.
/// <paramref name="settings"/> go over the environment's <c>KEEPSAKE_*</c> variables, as command-line settings do
/// (the binary passes none).
/// </summary>
internal sealed class CliHost(Terminal terminal, IReadOnlyDictionary<string, string?> settings)
{
    public Terminal Terminal => terminal;

    public async Task<IHost> StartAsync(CancellationToken cancellationToken)
    {
        var host = Build();
        host.Services.GetRequiredService<ScratchAreas>().SweepStale();
        await host.Services.MigrateEmbeddedDatabaseAsync(cancellationToken);
        return host;
    }

    /// <summary>
    /// The services without bringing the embedded database up to date first, for the verbs that manage
    /// migrations; nothing is logged from the <paramref name="silenced"/> categories.
    /// </summary>
    public IHost Build(params string[] silenced)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // A verb reads its settings once: watching appsettings.json for changes would walk the binary's folder first.
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")],
            ContentRootPath = AppContext.BaseDirectory,
        });
        terminal.AddLogging(builder.Logging, silenced);
        builder.AddKeepsakeCore();
        return builder.Build();
    }
}
