using System.CommandLine;
using Clearance.Application;
using Clearance.Store;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Keys;

/// <summary><c>clearance keys create|list|revoke</c>: the API keys of <c>clearance serve</c>, stored hashed.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "API keys for 'clearance serve': create (the key is printed once), list, revoke.");
        command.Subcommands.Add(CreateCreate());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRevoke());
        return command;
    }

    private static ApiKeyStore? OpenStore(string? db) => Licenses.LicensesCommand.OpenStore(db, ApiKeyStore.Open);

    private static Command CreateCreate()
    {
        var name = new Option<string>("--name") { Description = "the key's name: the actor recorded in the audit trail for what it does", Required = true };
        var role = new Option<string>("--role") { Description = "viewer (reads), operator (checks, screens, submits), officer (releases, decides, licences) or admin (keys, lists)", Required = true };
        role.AcceptOnlyFromAmong([.. ApiKeyStore.RoleNames]);
        var actor = Licenses.LicensesCommand.ActorOption();
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = Licenses.LicensesCommand.DbOption();
        var command = new Command("create", "Create an API key and print it, once: only its SHA-256 is stored.") { name, role, actor, output, db };
        command.SetAction(parse =>
        {
            if (OpenStore(parse.GetValue(db)) is not { } store)
                return ExitCodes.Failed;
            CreatedApiKey created;
            try
            {
                created = store.Create(parse.GetValue(name)!, ApiKeyStore.ParseRole(parse.GetValue(role))!.Value, parse.GetValue(actor)!);
            }
            catch (ListStoreException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                Console.Out.WriteLine(ApiKeyJson.Created(created));
                return ExitCodes.Done;
            }

            Console.Out.WriteLine($"key '{created.Record.Name}' ({ApiKeyStore.Name(created.Record.Role)}): {created.Key}");
            Console.Error.WriteLine("keep it now: it is not stored and cannot be shown again (send it as 'Authorization: Bearer KEY')");
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateList()
    {
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = Licenses.LicensesCommand.DbOption();
        var command = new Command("list", "Every key with its role, creation and revocation (never the keys themselves).") { output, db };
        command.SetAction(parse =>
        {
            if (OpenStore(parse.GetValue(db)) is not { } store)
                return ExitCodes.Failed;
            var keys = store.List();
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                foreach (var key in keys)
                    Console.Out.WriteLine(ApiKeyJson.Line(key));
                return ExitCodes.Done;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "role", "created", "revoked");
            foreach (var key in keys)
            {
                table.AddRow(TerminalText.Markup(key.Name), ApiKeyStore.Name(key.Role), InstantPattern.General.Format(key.CreatedAt),
                    key.RevokedAt is { } revoked ? "[red]" + InstantPattern.General.Format(revoked) + "[/]" : "");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{keys.Count} key(s)");
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateRevoke()
    {
        var name = new Argument<string>("NAME") { Description = "the key's name" };
        var actor = Licenses.LicensesCommand.ActorOption();
        var db = Licenses.LicensesCommand.DbOption();
        var command = new Command("revoke", "Revoke a key: every server refuses it within seconds.") { name, actor, db };
        command.SetAction(parse =>
        {
            if (OpenStore(parse.GetValue(db)) is not { } store)
                return ExitCodes.Failed;
            try
            {
                var revoked = store.Revoke(parse.GetValue(name)!, parse.GetValue(actor)!);
                Console.Out.WriteLine(revoked ? $"key '{parse.GetValue(name)}' revoked" : $"key '{parse.GetValue(name)}' was revoked already: unchanged");
                return ExitCodes.Done;
            }
            catch (ListStoreException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
