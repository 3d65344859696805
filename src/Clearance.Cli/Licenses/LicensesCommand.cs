using System.CommandLine;
using Clearance.Application;
using Clearance.Licensing;
using Clearance.Store;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Licenses;

/// <summary><c>clearance licenses</c>: the licences the exporter holds or applied for, their state and drawdown.</summary>
internal static class LicensesCommand
{
    public static Command Create()
    {
        var command = new Command("licenses", "Licences held or applied for: add, import, list, show with balance and drawdowns, grant, suspend, revoke.");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateTransition("grant", LicenseState.Granted, "Record that a licence applied for was granted (or a suspended one reinstated)."));
        command.Subcommands.Add(CreateTransition("suspend", LicenseState.Suspended, "Suspend a licence: it authorises nothing until granted again."));
        command.Subcommands.Add(CreateTransition("revoke", LicenseState.Revoked, "Revoke a licence, for good."));
        return command;
    }

    internal static Option<string?> DbOption() => new("--db") { Description = "database (default: CLEARANCE_DB or the user data directory)" };

    internal static Option<string> ActorOption() => new("--actor") { Description = "who records this (default: the user name)", DefaultValueFactory = _ => Environment.UserName };

    /// <summary>The licence store at --db, or null with the reason written (one line).</summary>
    internal static LicenseStore? OpenStore(string? db) => OpenStore(db, LicenseStore.Open);

    /// <summary>A workflow store at --db opened by <paramref name="open"/>, or null with the reason written (one line).</summary>
    internal static T? OpenStore<T>(string? db, Func<string, T> open)
        where T : class
    {
        var location = DatabaseLocation.Resolve(db);
        try
        {
            return open(location);
        }
        catch (ListStoreException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
        }
        catch (ArgumentException e) when (DatabaseLocation.IsPostgres(location))
        {
            Console.Error.WriteLine("error: " + e.Message);
        }

        return null;
    }

    private static Command CreateAdd()
    {
        var number = new Option<string>("--number") { Description = "the licence number", Required = true };
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "issuing jurisdiction, e.g. JP", Required = true };
        var type = new Option<string>("--type") { Description = "licence type id of the jurisdiction (JP: individual, general-bulk, ...; KR: individual, bulk)", Required = true };
        var holder = new Option<string>("--holder") { Description = "the exporter it was granted to", Required = true };
        var item = new Option<string[]>("--item") { Description = "a classification it covers, e.g. JP:7(19); repeatable (none: any item)" };
        var destination = new Option<string[]>("--destination") { Description = "a destination it covers, alpha-2 or English name; repeatable (none: any)" };
        var consignee = new Option<string[]>("--consignee") { Description = "a consignee it names; repeatable" };
        var endUser = new Option<string[]>("--end-user") { Description = "an end user it names; repeatable" };
        var validFrom = new Option<string>("--valid-from") { Description = "first valid day, YYYY-MM-DD", Required = true };
        var validTo = new Option<string?>("--valid-to") { Description = "last valid day, YYYY-MM-DD (none: open-ended)" };
        var quantity = new Option<string?>("--quantity") { Description = "quantity limit, e.g. \"500 kg\"" };
        var value = new Option<string?>("--value") { Description = "value limit, e.g. \"90000000 JPY\"" };
        var tolerance = new Option<string?>("--tolerance") { Description = "fraction by which the limits may be exceeded, e.g. 0.05" };
        var state = new Option<string?>("--state") { Description = "applied, granted (default), suspended, expired or revoked" };
        var actor = ActorOption();
        var db = DbOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command("add", "Add a licence.")
        {
            number, jurisdiction, type, holder, item, destination, consignee, endUser, validFrom, validTo, quantity, value, tolerance, state, actor, db, noRecheck,
        };
        command.SetAction(parse =>
        {
            static (string?, string?) Split(string? text) =>
                text?.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) switch
                {
                    null => (null, null),
                    [var a] => (a, null),
                    [var a, var u] => (a, u),
                    _ => (text, null),
                };
            var (quantityAmount, unit) = Split(parse.GetValue(quantity));
            var (valueAmount, currency) = Split(parse.GetValue(value));
            var values = new Dictionary<string, string?>
            {
                ["number"] = parse.GetValue(number), ["jurisdiction"] = parse.GetValue(jurisdiction), ["type"] = parse.GetValue(type),
                ["holder"] = parse.GetValue(holder), ["items"] = Joined(parse.GetValue(item)), ["destinations"] = Joined(parse.GetValue(destination)),
                ["consignees"] = Joined(parse.GetValue(consignee)), ["end_users"] = Joined(parse.GetValue(endUser)),
                ["valid_from"] = parse.GetValue(validFrom), ["valid_to"] = parse.GetValue(validTo),
                ["quantity_amount"] = quantityAmount, ["quantity_unit"] = unit, ["value_amount"] = valueAmount, ["value_currency"] = currency,
                ["tolerance"] = parse.GetValue(tolerance), ["state"] = parse.GetValue(state),
            };
            var line = LicenseInput.Validate(values, 1, ContentSetup.Evaluator().Content);
            if (line.Error is { } error)
            {
                // "line 1: field 'x'" reads as a flag here: the field is the flag of the same name.
                Console.Error.WriteLine("error: " + error.Message.Replace("line 1: ", "", StringComparison.Ordinal));
                return ExitCodes.Failed;
            }

            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            bool added;
            try
            {
                added = store.Add(line.License!, parse.GetValue(actor)!);
            }
            catch (ListStoreException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            var l = line.License!;
            Console.Out.WriteLine(added
                ? $"added licence {l.Number} ({l.Jurisdiction} {l.Type}, {License.Name(l.State)})"
                : $"licence {l.Number} is recorded already with these details: unchanged");
            return Shipments.RecheckCommand.Then(ExitCodes.Done, parse.GetValue(db), parse.GetValue(noRecheck) || !added, parse.GetValue(actor));
        });
        return command;
    }

    private static string? Joined(string[]? values) => values is { Length: > 0 } ? string.Join(';', values) : null;

    private static Command CreateImport()
    {
        var input = new InputOptions();
        var actor = ActorOption();
        var db = DbOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command("import", "Add licences from JSON Lines or CSV (one licence per line; a bad line is reported and the others are added).") { actor, db, noRecheck };
        input.AddTo(command);
        command.SetAction(parse =>
        {
            if (input.RequiredPath(parse, "licences") is not { } path)
            {
                return ExitCodes.Failed;
            }

            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            using var source = input.Open(parse, path);
            if (source is null)
            {
                return ExitCodes.Failed;
            }

            var content = ContentSetup.Evaluator().Content;
            int added = 0, unchanged = 0, failed = 0;
            try
            {
                var lines = InputOptions.FormatOf(path, parse.GetValue(input.Format)) == InputFormat.Csv
                    ? LicenseInput.ReadCsv(source, path, content)
                    : LicenseInput.ReadJsonLines(source, path, content);
                foreach (var line in lines)
                {
                    var error = line.Error?.Message;
                    if (line.License is { } license)
                    {
                        try
                        {
                            if (store.Add(license, parse.GetValue(actor)!))
                                added++;
                            else
                                unchanged++;
                            continue;
                        }
                        catch (ListStoreException e)
                        {
                            error = $"line {line.Line}: {e.Message}";
                        }
                    }

                    failed++;
                    Console.Error.WriteLine($"error: {path}: {error}");
                }
            }
            catch (CsvHeaderException e)
            {
                Console.Error.WriteLine("error: --input: " + e.Message);
                return ExitCodes.Failed;
            }

            Console.Out.WriteLine($"{added} licence(s) added, {unchanged} unchanged, {failed} line(s) with errors");
            return Shipments.RecheckCommand.Then(failed == 0 ? ExitCodes.Done : added + unchanged == 0 ? ExitCodes.Failed : ExitCodes.SomeRecordsFailed,
                parse.GetValue(db), parse.GetValue(noRecheck) || added == 0, parse.GetValue(actor));
        });
        return command;
    }

    private static Command CreateList()
    {
        var expiring = new Option<string?>("--expiring-within") { Description = "only licences whose validity ends within this many days of --date, e.g. 90d" };
        var date = new DateOption("the date balances and expiry are seen from (default: today)");
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command("list", "Every licence with its validity, state and remaining balance.") { expiring, output, db };
        date.AddTo(command);
        command.SetAction(parse =>
        {
            var today = LocalDate.FromDateTime(DateTime.Today);
            if (date.Get(parse) is { } dateText)
            {
                if (LocalDatePattern.Iso.Parse(dateText) is not { Success: true } parsed)
                {
                    Console.Error.WriteLine($"error: --date: '{dateText}' is not a date YYYY-MM-DD");
                    return ExitCodes.Failed;
                }

                today = parsed.Value;
            }

            int? withinDays = null;
            if (parse.GetValue(expiring) is { } text)
            {
                if (LicenseExpiry.ParseDays(text) is not { } days)
                {
                    Console.Error.WriteLine($"error: --expiring-within: '{text}' is not a number of days such as 90d");
                    return ExitCodes.Failed;
                }

                withinDays = days;
            }

            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            var records = LicenseExpiry.Filter(store.List(), today, withinDays);
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                foreach (var r in records)
                {
                    Console.Out.WriteLine(LicenseJson.Line(r, history: false));
                }

                return ExitCodes.Done;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("number", "type", "holder", "valid", "state", "remaining");
            table.Columns[0].NoWrap(); // a licence number is looked up as a whole: never broken over lines
            foreach (var r in records)
            {
                var l = r.License;
                table.AddRow(
                    TerminalText.Markup(l.Number),
                    TerminalText.Markup($"{l.Jurisdiction} {l.Type}"),
                    TerminalText.Markup(l.Holder),
                    TerminalText.Markup(LocalDatePattern.Iso.Format(l.Validity.From) + " – " + (l.Validity.To is { } end ? LocalDatePattern.Iso.Format(end.PlusDays(-1)) + " (last day)" : "open")),
                    License.Name(l.State),
                    TerminalText.Markup(string.Join("\n", new[]
                    {
                        LicenseJson.Text(r.Balance.QuantityRemaining, l.Quantity?.Unit),
                        LicenseJson.Text(r.Balance.ValueRemaining, l.Value?.Unit),
                    }.Where(s => s.Length > 0))));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{records.Count} licence(s)");
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var number = new Argument<string>("NUMBER") { Description = "the licence number" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command("show", "A licence with its balance, state history and every drawdown.") { number, output, db };
        command.SetAction(parse =>
        {
            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            if (store.Find(parse.GetValue(number)!) is not { } record)
            {
                Console.Error.WriteLine($"error: no licence numbered {parse.GetValue(number)}");
                return ExitCodes.Failed;
            }

            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                Console.Out.WriteLine(LicenseJson.Line(record, history: true));
                return ExitCodes.Done;
            }

            var l = record.License;
            var grid = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
            void Row(string field, string value) => grid.AddRow($"[bold]{field}[/]", TerminalText.Markup(value));
            Row("licence", $"{l.Number} ({l.Jurisdiction} {l.Type}, {License.Name(l.State)})");
            Row("holder", l.Holder);
            Row("items", l.Scope.Items.Count > 0 ? string.Join(", ", l.Scope.Items) : "any");
            Row("destinations", l.Scope.Destinations.Count > 0 ? string.Join(", ", l.Scope.Destinations) : "any");
            if (l.Scope.Consignees.Count > 0)
                Row("consignees", string.Join("\n", l.Scope.Consignees));
            if (l.Scope.EndUsers.Count > 0)
                Row("end users", string.Join("\n", l.Scope.EndUsers));
            Row("valid", LocalDatePattern.Iso.Format(l.Validity.From) + " – " + (l.Validity.To is { } end ? LocalDatePattern.Iso.Format(end.PlusDays(-1)) + " (last day)" : "open"));
            if (l.Quantity is { } q)
                Row("quantity", $"{LicenseJson.Text(record.Balance.QuantityRemaining, q.Unit)} left of {LicenseJson.Text(q.Amount, q.Unit)}");
            if (l.Value is { } v)
                Row("value", $"{LicenseJson.Text(record.Balance.ValueRemaining, v.Unit)} left of {LicenseJson.Text(v.Amount, v.Unit)}");
            foreach (var t in record.Transitions)
                Row("state", $"{License.Name(t.State)} from {LocalDatePattern.Iso.Format(t.OnDate)} ({t.Actor}{(t.Reason is null ? "" : ": " + t.Reason)})");
            foreach (var d in record.Ledger)
                Row(d.Reverses is null ? "drawn" : "returned", $"#{d.Sequence} {d.Shipment}: {LicenseJson.Text(d.Quantity, l.Quantity?.Unit)} {LicenseJson.Text(d.Value, l.Value?.Unit)}".TrimEnd());
            AnsiConsole.Write(grid);
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateTransition(string name, LicenseState state, string description)
    {
        var number = new Argument<string>("NUMBER") { Description = "the licence number" };
        var reason = new Option<string>("--reason") { Description = "why (recorded)", Required = true };
        var date = new DateOption("the day it takes effect (default: today)");
        var actor = ActorOption();
        var db = DbOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command(name, description) { number, reason, actor, db, noRecheck };
        date.AddTo(command);
        command.SetAction(parse =>
        {
            var on = LocalDate.FromDateTime(DateTime.Today);
            if (date.Get(parse) is { } dateText)
            {
                if (LocalDatePattern.Iso.Parse(dateText) is not { Success: true } parsed)
                {
                    Console.Error.WriteLine($"error: --date: '{dateText}' is not a date YYYY-MM-DD");
                    return ExitCodes.Failed;
                }

                on = parsed.Value;
            }

            if (string.IsNullOrWhiteSpace(parse.GetValue(reason)))
            {
                Console.Error.WriteLine("error: --reason: give the reason (it is recorded)");
                return ExitCodes.Failed;
            }

            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            try
            {
                store.ChangeState(parse.GetValue(number)!, state, on, parse.GetValue(reason)!, parse.GetValue(actor)!);
            }
            catch (ListStoreException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            Console.Out.WriteLine($"licence {parse.GetValue(number)} {License.Name(state)} from {LocalDatePattern.Iso.Format(on)}");
            return Shipments.RecheckCommand.Then(ExitCodes.Done, parse.GetValue(db), parse.GetValue(noRecheck), parse.GetValue(actor));
        });
        return command;
    }
}
