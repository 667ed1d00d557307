using System.CommandLine;
using System.Text;
using Keepsake.Ks.Hosts;
using Keepsake.Ks.Stages;

namespace Keepsake.Ks.Commands;

/// <summary><c>ks hosts [--file F] [--remove]</c>: the stage's host names on loopback, in one marked block of /etc/hosts.</summary>
internal static class HostsCommand
{
    public static Command Create(KsContext context, Option<bool> dryRun)
    {
        var stage = StageArgument.Create();
        var file = new Option<FileInfo?>("--file") { Description = "The hosts file to change; default /etc/hosts (C:\\Windows\\System32\\drivers\\etc\\hosts on Windows), which needs root." };
        var remove = new Option<bool>("--remove") { Description = "Take the stage's block out again, leaving the file as it was before ks hosts." };
        var command = new Command("hosts",
            "Point the stage's host names (local: keepsake.localhost) at this machine in one block of the hosts file, marked so that running it " +
            "again changes nothing and --remove takes out exactly that block.")
        {
            stage, file, remove,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = StageArgument.Resolve(parse, stage, context);
            if (!chosen.HostsOnThisMachine)
            {
                context.Error($"{chosen.Title}'s host names ({string.Join(", ", chosen.Hosts)}) are in public DNS; there is nothing to point at this machine");
                return KsExit.Refused;
            }
            var path = parse.GetValue(file)?.FullName ?? (OperatingSystem.IsWindows() ? @"C:\Windows\System32\drivers\etc\hosts" : "/etc/hosts");
            // Latin-1 maps every byte to one character and back, so whatever else the file holds is written back byte for byte.
            var before = File.Exists(path) ? Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path, cancellationToken)) : "";
            var after = parse.GetValue(remove) ? HostsFile.Remove(before, chosen.Name) : HostsFile.Add(before, chosen.Name, chosen.Hosts);
            if (after == before)
            {
                context.Errors.WriteLine($"{path} is already as it should be; nothing changed");
                return KsExit.Done;
            }
            if (parse.GetValue(dryRun))
            {
                context.Out.Write(after);
                return KsExit.Done;
            }
            try
            {
                // Written in place, not renamed over: /etc/hosts is often a mount (containers, WSL) that a rename cannot replace.
                await File.WriteAllBytesAsync(path, Encoding.Latin1.GetBytes(after), cancellationToken);
            }
            catch (UnauthorizedAccessException)
            {
                context.Error($"{path} may be changed by root only: run it as 'sudo ks hosts {chosen.Name}'");
                return KsExit.Failed;
            }
            context.Errors.WriteLine(parse.GetValue(remove) ? $"removed the {chosen.Name} block from {path}" : $"{string.Join(", ", chosen.Hosts)} now point at this machine ({path})");
            return KsExit.Done;
        });
        return command;
    }
}
