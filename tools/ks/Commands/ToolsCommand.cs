using System.CommandLine;
using Keepsake.Ks.Tools;
using Spectre.Console;

namespace Keepsake.Ks.Commands;

/// <summary><c>ks tools [--check]</c>: the pinned kubectl, kind, tilt and kustomize, installed into <c>.deps/</c> where missing.</summary>
internal static class ToolsCommand
{
    public static Command Create(KsContext context)
    {
        var check = new Option<bool>("--check") { Description = "Only list each tool as present, missing or of the wrong version; exit 1 unless all are present." };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "Another tools.json (a mirror of the downloads); default tools/ks/tools.json." };
        var command = new Command("tools",
            "Install the pinned command-line tools the stages need (kubectl, kind, tilt, kustomize) into the repository's git-ignored .deps/ folder, " +
            "each download checked against the SHA-256 recorded in tools/ks/tools.json before it is made executable. 'ks shell' puts .deps/ first on PATH.")
        {
            check, manifest,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var pinned = ToolManifest.Read(parse.GetValue(manifest)?.FullName ?? ToolManifest.DefaultPath(context));
            var statuses = new List<ToolStatus>();
            foreach (var (name, tool) in pinned.Tools)
            {
                statuses.Add(await ToolStatus.OfAsync(context, name, tool, cancellationToken));
            }
            if (parse.GetValue(check))
            {
                Print(context, statuses);
                return statuses.All(s => s.IsPresent) ? KsExit.Done : KsExit.Failed;
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var installer = new ToolInstaller(http, context.DepsFolder);
            var failed = 0;
            for (var i = 0; i < statuses.Count; i++)
            {
                var status = statuses[i];
                if (status.IsPresent)
                {
                    continue;
                }
                var tool = pinned.Tools[status.Name];
                try
                {
                    context.Errors.WriteLine($"installing {status.Name} {tool.Version} into {context.DepsFolder}");
                    await installer.InstallAsync(status.Name, tool, cancellationToken);
                    statuses[i] = await ToolStatus.OfAsync(context, status.Name, tool, cancellationToken);
                }
                catch (Exception e) when (e is KsException or HttpRequestException)
                {
                    context.Error(e.Message);
                    failed++;
                }
            }
            Print(context, statuses);
            return failed == 0 ? KsExit.Done : KsExit.Failed;
        });
        return command;
    }

    private static void Print(KsContext context, IEnumerable<ToolStatus> statuses)
    {
        var table = new Table().AddColumns("tool", "pinned", "state", "where");
        foreach (var status in statuses)
        {
            table.AddRow(status.Name, status.Pinned, status.State, status.Path ?? "");
        }
        context.Ansi.Write(table);
    }
}
