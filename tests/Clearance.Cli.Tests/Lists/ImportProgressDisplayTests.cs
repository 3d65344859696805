using Clearance.Cli.Lists;
using Clearance.Store;
using Spectre.Console;

namespace Clearance.Cli.Tests.Lists;

public sealed class ImportProgressDisplayTests
{
    /// <summary>A console that behaves as a terminal's (ANSI, interactive), writing to a string.</summary>
    private static (IAnsiConsole Console, StringWriter Text) Console()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard, Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = 80;
        return (console, text);
    }

    [Fact]
    public void Run_ImportFasterThanTheDelay_ShowsNothing()
    {
        var (console, text) = Console();

        var result = ImportProgressDisplay.Run(console, "importing sdn.csv", TimeSpan.FromSeconds(5), progress => 42);

        Assert.Equal((42, ""), (result, text.ToString()));
    }

    [Fact]
    public void Run_ImportSlowerThanTheDelay_ShowsTheBarWithWhatItWrites()
    {
        var (console, text) = Console();

        var result = ImportProgressDisplay.Run(console, "importing sdn.csv", TimeSpan.Zero, progress =>
        {
            progress!.Report(new ImportProgress(ImportPhase.Reading, 500, null));
            Thread.Sleep(300);
            progress.Report(new ImportProgress(ImportPhase.Writing, 1000, 2000));
            Thread.Sleep(300);
            progress.Report(new ImportProgress(ImportPhase.Indexing, 0, null));
            Thread.Sleep(300);
            return 7;
        });

        Assert.Equal(7, result);
        Assert.Contains("importing sdn.csv: reading, 500 entries", text.ToString());
        Assert.Contains("importing sdn.csv: writing 2,000 entries", text.ToString());
        Assert.Contains("importing sdn.csv: screening index", text.ToString());
    }

    [Fact]
    public void Run_ImportFails_TheErrorReachesTheCaller()
    {
        var (console, _) = Console();

        var e = Assert.Throws<ListStoreException>(() => ImportProgressDisplay.Run<int>(console, "importing x", TimeSpan.Zero, _ =>
        {
            Thread.Sleep(150);
            throw new ListStoreException("x contains no entries: nothing imported");
        }));

        Assert.Equal("x contains no entries: nothing imported", e.Message);
    }

    [Fact]
    public void Run_ErrorIsNotTheTerminal_RunsWithoutProgress()
    {
        IProgress<ImportProgress>? given = new Progress<ImportProgress>();

        var result = ImportProgressDisplay.Run(new StringWriter(), "importing x", progress =>
        {
            given = progress;
            return 1;
        });

        Assert.Equal((1, null), (result, given));
    }
}
