using System.CommandLine;

namespace Clearance.Cli;

/// <summary>
/// The commands under <c>clearance</c>, each built by its own factory, and which of them a command line needs built.
/// Building every command's options, arguments and actions cost 37-40 ms of CPU at each process's start (a tenth of an
/// incremental recheck's whole process, recheck-speed17), and a command line that names a command exactly first reaches
/// no other.
/// </summary>
internal static class CliCommands
{
    /// <summary>A command's name (the word that selects it) and its factory.</summary>
    internal sealed record Entry(string Name, Func<Command> Create);

    /// <summary>Every command, in the order the help lists them.</summary>
    internal static readonly Entry[] All =
    [
        new("check", Check.CheckCommand.Create),
        new("rules", Rules.RulesCommand.Create),
        new("impact", Impact.ImpactCommand.Create),
        new("content", ContentFiles.ContentCommand.Create),
        new("lists", Lists.ListsCommand.Create),
        new("screen", Screen.ScreenCommand.Create),
        new("licenses", Licenses.LicensesCommand.Create),
        new("audit", Audit.AuditCommand.Create),
        new("shipments", Shipments.ShipmentsCommand.Create),
        new("screening", Screening.ScreeningCommand.Create),
        new("reports", Reports.ReportsCommand.Create),
        new("keys", Keys.KeysCommand.Create),
        new("serve", Serve.ServeCommand.Create),
    ];

    /// <summary>
    /// The commands to build for <paramref name="args"/>: only the one its first word names exactly, else every one. The
    /// others are needed only when the first word is not a command: <c>clearance</c> alone or <c>--help</c> lists them
    /// all, an unknown command is answered with the nearest name, and an option, a response file (<c>@file</c>) or a
    /// directive (<c>[diagram]</c>) may lead anywhere.
    /// </summary>
    internal static IEnumerable<Command> For(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0)
        {
            foreach (var entry in All)
            {
                if (string.Equals(entry.Name, args[0], StringComparison.Ordinal))
                {
                    return [entry.Create()];
                }
            }
        }

        return All.Select(e => e.Create());
    }
}
