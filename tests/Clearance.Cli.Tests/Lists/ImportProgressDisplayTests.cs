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
        // Each phase is reported and then held until the display has drawn it: the bar refreshes on a timer of its own,
        // so a fixed pause would miss a phase when the machine is busy.
        var text = new SharedText();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.Standard, Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = 80;

        var result = ImportProgressDisplay.Run(console, "importing sdn.csv", TimeSpan.Zero, progress =>
        {
            progress!.Report(new ImportProgress(ImportPhase.Reading, 500, null));
            text.WaitFor("importing sdn.csv: reading, 500 entries");
            progress.Report(new ImportProgress(ImportPhase.Writing, 1000, 2000));
            text.WaitFor("importing sdn.csv: writing 2,000 entries");
            progress.Report(new ImportProgress(ImportPhase.Indexing, 0, null));
            text.WaitFor("importing sdn.csv: screening index");
            return 7;
        });

        Assert.Equal(7, result);
        Assert.Contains("importing sdn.csv: reading, 500 entries", text.ToString());
        Assert.Contains("importing sdn.csv: writing 2,000 entries", text.ToString());
        Assert.Contains("importing sdn.csv: screening index", text.ToString());
    }

    /// <summary>A string writer the display thread writes and the import thread reads, under one lock.</summary>
    private sealed class SharedText : StringWriter
    {
        private readonly Lock _lock = new();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_lock)
            {
                base.Write(buffer, index, count);
            }
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            lock (_lock)
            {
                base.Write(buffer);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }

        public override void WriteLine(ReadOnlySpan<char> buffer)
        {
            lock (_lock)
            {
                base.WriteLine(buffer);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return base.ToString();
            }
        }

        /// <summary>Waits until <paramref name="expected"/> was written (at most a minute, so that a display that never draws fails the test).</summary>
        public void WaitFor(string expected)
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (!ToString().Contains(expected, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
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
