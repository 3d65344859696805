using System.CommandLine;
using System.Globalization;
using Clearance.Cli;

// Machine formats everywhere (numbers, dates): results must not depend on the user's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var root = new RootCommand("Clearance: export-control determination and restricted-party screening.");
root.Subcommands.Add(Clearance.Cli.Check.CheckCommand.Create());
root.Subcommands.Add(Clearance.Cli.Rules.RulesCommand.Create());
root.Subcommands.Add(Clearance.Cli.ContentFiles.ContentCommand.Create());
root.Subcommands.Add(Clearance.Cli.Lists.ListsCommand.Create());
root.Subcommands.Add(Clearance.Cli.Screen.ScreenCommand.Create());
root.Subcommands.Add(Clearance.Cli.Licenses.LicensesCommand.Create());
root.Subcommands.Add(Clearance.Cli.Audit.AuditCommand.Create());
root.Subcommands.Add(Clearance.Cli.Shipments.ShipmentsCommand.Create());
root.Subcommands.Add(Clearance.Cli.Screening.ScreeningCommand.Create());
root.Subcommands.Add(Clearance.Cli.Reports.ReportsCommand.Create());
root.Subcommands.Add(Clearance.Cli.Keys.KeysCommand.Create());
root.Subcommands.Add(Clearance.Cli.Serve.ServeCommand.Create());
var verbose = new Option<bool>("--verbose")
{
    Description = $"On an unexpected error, print the stack trace too (also when ${CliErrors.TraceVariable} is set).",
    Recursive = true,
};
root.Options.Add(verbose);

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A usage error: one line per problem and exit code 2, without the help text that would bury it.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine("error: " + error.Message);
    }

    return CliErrors.UsageExitCode;
}

try
{
    // Exceptions reach the handler below rather than System.CommandLine's, which prints a stack trace.
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (CliErrors.DatabaseFailure(e, parsed) is { } failure)
{
    // A read-only or full database met by a write that no command turned into its own message: the cause, exit 1.
    Console.Error.WriteLine("error: " + failure);
    return ExitCodes.Failed;
}
catch (Exception e)
{
    return CliErrors.ReportUnexpected(e, Console.Error, parsed.GetValue(verbose));
}
