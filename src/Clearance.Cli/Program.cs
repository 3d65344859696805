using System.CommandLine;
using Clearance.Application;
using Clearance.Cli;

// Machine formats everywhere (numbers, dates): results must not depend on the user's locale.
FrontEndProcess.UseMachineCulture();

var root = new RootCommand("Clearance: export-control determination and restricted-party screening.");
foreach (var command in CliCommands.For(args))
{
    root.Subcommands.Add(command);
}

var verbose = new Option<bool>("--verbose")
{
    Description = $"On an unexpected error, print the stack trace too (also when ${CliErrors.TraceVariable} is set).",
    Recursive = true,
};
root.Options.Add(verbose);

ParseResult parsed = root.Parse(args);
if (UsageErrors.IsGroupWithoutSubcommand(parsed))
{
    // `clearance` or `clearance lists` alone asks what there is: its help says.
    return await root.Parse([.. args, "--help"]).InvokeAsync();
}

if (parsed.Errors.Count > 0)
{
    // A usage error: one line per problem (with the nearest option or command) and exit code 1, without the help text
    // that would bury it.
    foreach (var line in UsageErrors.Lines(parsed, args))
    {
        Console.Error.WriteLine(line);
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
