using System.CommandLine;
using Clearance.Application;
using Clearance.Cli.Licenses;

namespace Clearance.Cli.Audit;

/// <summary><c>clearance audit</c>: check the hash chain of the audit trail, export it.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "The audit trail: verify its hash chain, export it.");
        command.Subcommands.Add(CreateVerify());
        command.Subcommands.Add(CreateExport());
        return command;
    }

    private static Command CreateVerify()
    {
        var db = LicensesCommand.DbOption();
        var command = new Command("verify", "Check every record's hash and link; names the first record altered, removed or inserted (exit 1).") { db };
        command.SetAction(parse =>
        {
            if (LicensesCommand.OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            if (store.Audit.Verify() is { } problem)
            {
                Console.Error.WriteLine($"error: audit trail broken at record {problem.Sequence}: {problem.Problem}");
                return ExitCodes.Failed;
            }

            var (count, head) = store.Audit.Head();
            // The head hash, kept elsewhere, is what catches a trail rewritten whole: the chain alone cannot.
            Console.Out.WriteLine($"audit trail intact: {count} record(s), head {head}");
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var from = new Option<string?>("--since") { Description = "first instant or date included (ISO 8601)" };
        var to = new Option<string?>("--until") { Description = "first instant or date excluded (ISO 8601)" };
        var db = LicensesCommand.DbOption();
        var command = new Command("export", "Write the audit records as JSON Lines, with their hashes, in sequence order.") { from, to, db };
        command.SetAction(parse =>
        {
            NodaTime.Instant? since, until;
            try
            {
                since = AuditJson.ParseBound(parse.GetValue(from), "--since");
                until = AuditJson.ParseBound(parse.GetValue(to), "--until");
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            if (LicensesCommand.OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
            foreach (var r in store.Audit.Read(since, until))
            {
                stdout.WriteLine(AuditJson.Line(r));
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
