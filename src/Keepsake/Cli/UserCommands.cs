using System.CommandLine;
using Keepsake.Accounts;
using Spectre.Console;

namespace Keepsake.Cli;

/// <summary><c>keepsake user create|list</c>. A password never comes from an argument, where shells and process lists keep it.</summary>
internal static class UserCommands
{
    public static Command Create()
    {
        var user = new Command("user", "Manage user accounts.");
        user.Subcommands.Add(CreateUser());
        user.Subcommands.Add(ListUsers());
        return user;
    }

    private static Command CreateUser()
    {
        var email = new Argument<string>("email") { Description = "The new user's e-mail address (their login)." };
        var admin = new Option<bool>("--admin") { Description = "Let the user create other users." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var command = new Command("create", "Create a user; the password is asked for on the terminal.") { email, admin, passwordStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var password = ReadPassword(parse.GetValue(passwordStdin));
            if (password is null)
            {
                return 2;
            }
            var address = parse.GetValue(email)!;
            if (AccountsApi.ValidateEmail(address) is not null)
            {
                Terminal.Error($"'{address}' is not a valid e-mail address.");
                return 2;
            }
            using var host = await CliHost.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var (created, errors) = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(address, password, parse.GetValue(admin));
            if (created is null)
            {
                Terminal.Error("the user was not created: " + string.Join(" ", errors));
                return 1;
            }
            Console.WriteLine($"created {(created.IsAdmin ? "admin" : "user")} {created.Email} ({created.Id})");
            return 0;
        });
        return command;
    }

    private static Command ListUsers()
    {
        var command = new Command("list", "List every user.");
        command.SetAction(async (_, cancellationToken) =>
        {
            using var host = await CliHost.StartAsync(cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var users = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ListAsync(cancellationToken);
            if (Terminal.IsInteractive)
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
                    Console.WriteLine($"{u.Email}\t{(u.IsAdmin ? "admin" : "user")}\t{u.CreatedAt:O}\t{u.Id}");
                }
            }
            return 0;
        });
        return command;
    }

    private static string? ReadPassword(bool fromStdin)
    {
        if (fromStdin)
        {
            var line = Console.In.ReadLine();
            if (string.IsNullOrEmpty(line))
            {
                Terminal.Error("--password-stdin was given but standard input holds no password.");
                return null;
            }
            return line;
        }
        if (!Terminal.IsInteractive)
        {
            Terminal.Error("there is no terminal to ask for the password on; pipe it in with --password-stdin.");
            return null;
        }
        var password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
        var again = AnsiConsole.Prompt(new TextPrompt<string>("Password again:").Secret());
        if (password != again)
        {
            Terminal.Error("the two passwords differ; nothing was created.");
            return null;
        }
        return password;
    }
}
