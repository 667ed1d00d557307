using Keepsake;
using Keepsake.Cli;

if (KeepsakeCli.IsCommand(args))
{
    return await KeepsakeCli.RunAsync(args);
}

var app = KeepsakeServer.Build(args is ["serve", .. var rest] ? rest : args);
if (!await app.PassesStartupChecksAsync())
{
    return 1;
}
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
