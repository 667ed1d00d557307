using System.CommandLine;
using Keepsake.Accounts;
using Keepsake.Data;
using Keepsake.Privacy;
using Microsoft.AspNetCore.Identity;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary><c>keepsake user create|list|erase|export</c>. A password never comes from an argument, where shells and process lists keep it.</summary>
internal static class UserCommands
{
    public static Command Create(CliHost cli)
    {
        var user = new Command("user", "Manage user accounts.");
        user.Subcommands.Add(CreateUser(cli));
        user.Subcommands.Add(ListUsers(cli));
        user.Subcommands.Add(EraseUser(cli));
        user.Subcommands.Add(ExportUser(cli));
        return user;
    }

    private static Command CreateUser(CliHost cli)
    {
        var email = new Argument<string>("email") { Description = "The new user's e-mail address (their login)." };
        var admin = new Option<bool>("--admin") { Description = "Let the user create other users." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var command = new Command("create", "Create a user; the password is asked for on the terminal.") { email, admin, passwordStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var password = ReadPassword(cli.Terminal, parse.GetValue(passwordStdin));
            if (password is null)
            {
                return 2;
            }
            var address = parse.GetValue(email)!;
            if (AccountsApi.ValidateEmail(address) is not null)
            {
                cli.Terminal.Error($"'{address}' is not a valid e-mail address.");
                return 2;
            }
            using var host = await cli.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var (created, errors) = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(address, password, parse.GetValue(admin));
            if (created is null)
            {
                cli.Terminal.Error("the user was not created: " + string.Join(" ", errors));
                return 1;
            }
            cli.Terminal.Out.WriteLine($"created {(created.IsAdmin ? "admin" : "user")} {created.Email} ({created.Id})");
            return 0;
        });
        return command;
    }

    private static Command ListUsers(CliHost cli)
    {
        var command = new Command("list", "List every user.");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var host = await cli.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var users = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ListAsync(cancellationToken);
            if (cli.Terminal.IsInteractive)
            {
                var table = new Table().AddColumns("E-mail", "Role", "Created (UTC)", "Id");
                foreach (var u in users)
                {
                    table.AddRow(Markup.Escape(u.Email ?? ""), u.IsAdmin ? "admin" : "user", u.CreatedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), u.Id.ToString());
                }
                AnsiConsole.Write(table);
            }
            else
            {
                foreach (var u in users)
                {
                    cli.Terminal.Out.WriteLine($"{u.Email}\t{(u.IsAdmin ? "admin" : "user")}\t{u.CreatedAt:O}\t{u.Id}");
                }
            }
            return 0;
        });
        return command;
    }

    private static Command EraseUser(CliHost cli)
    {
        var email = new Argument<string>("email") { Description = "The e-mail address of the user to erase." };
        var yes = new Option<bool>("--yes") { Description = "Confirm: the user's account, photos, albums and share links are erased for good." };
        var command = new Command("erase", "Erase a user and everything they stored, for good; recorded in the erasure ledger so no restore brings them back.") { email, yes };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(email)!;
            if (!parse.GetValue(yes))
            {
                cli.Terminal.Error($"erasing {address} deletes their photos, albums and share links for good; add --yes to do it. Nothing was erased.");
                return 2;
            }
            using var host = await cli.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(address.Trim());
            if (user is null)
            {
                cli.Terminal.Error($"there is no user with the e-mail address {address}; nothing was erased.");
                return 1;
            }
            var refusal = await scope.ServiceProvider.GetRequiredService<UserErasure>().EraseAccountAsync(user.Id, cancellationToken);
            if (refusal == ErasureRefusal.LastAdmin)
            {
                cli.Terminal.Error($"{address} is the only admin: nobody could manage Keepsake without them. Make another user an admin first; nothing was erased.");
                return 1;
            }
            cli.Terminal.Out.WriteLine($"erased user {user.Id}");
            return 0;
        });
        return command;
    }

    private static Command ExportUser(CliHost cli)
    {
        var email = new Argument<string>("email") { Description = "The e-mail address of the user whose data to export." };
        var file = new Argument<FileInfo>("file") { Description = "The zip file to write (replaced if it exists)." };
        var command = new Command("export", "Write a user's originals and a JSON file of their account, albums, share links and photo details into a zip.") { email, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(email)!;
            var target = parse.GetValue(file)!;
            using var host = await cli.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<KeepsakeUser>>().FindByEmailAsync(address.Trim());
            if (user is null)
            {
                cli.Terminal.Error($"there is no user with the e-mail address {address}; nothing was written.");
                return 1;
            }
            // Written beside the target and moved over it at the end, so a failed export leaves no half a zip under its name.
            var partial = target.FullName + ".partial";
            try
            {
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
                {
                    await scope.ServiceProvider.GetRequiredService<UserExport>().WriteAsync(user.Id, output, cancellationToken);
                }
                File.Move(partial, target.FullName, overwrite: true);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
            cli.Terminal.Out.WriteLine($"exported {user.Email} to {target.FullName}");
            return 0;
        });
        return command;
    }

    private static string? ReadPassword(Terminal terminal, bool fromStdin)
    {
        if (fromStdin)
        {
            var line = terminal.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                terminal.Error("--password-stdin was given but standard input holds no password.");
                return null;
            }
            return line;
        }
        if (!terminal.IsInteractive)
        {
            terminal.Error("there is no terminal to ask for the password on; pipe it in with --password-stdin.");
            return null;
        }
        var password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
        var again = AnsiConsole.Prompt(new TextPrompt<string>("Password again:").Secret());
        if (password != again)
        {
            terminal.Error("the two passwords differ; nothing was created.");
            return null;
        }
        return password;
    }
}
