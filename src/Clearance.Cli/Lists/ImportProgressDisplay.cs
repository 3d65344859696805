using Clearance.Store;
using Spectre.Console;

namespace Clearance.Cli.Lists;

/// <summary>
/// A progress bar on standard error for an import that takes longer than a second, when standard error is a terminal
/// (Spectre.Console's Progress on Console.Error, as <c>check</c> shows one for a large batch). The import runs on a
/// thread of its own and reports what it has read and written; the bar is cleared when it ends, so that only the
/// import's result lines stay on the screen.
/// </summary>
internal static class ImportProgressDisplay
{
    /// <summary>How long an import runs before the bar appears: a fast import shows none.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="work"/>, with the bar titled <paramref name="title"/> when <paramref name="error"/> is the
    /// terminal's standard error; otherwise (redirected, or a test's writer) just runs it.
    /// </summary>
    public static T Run<T>(TextWriter error, string title, Func<IProgress<ImportProgress>?, T> work)
    {
        if (error != Console.Error || Console.IsErrorRedirected)
        {
            return work(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return Run(console, title, Delay, work);
    }

    /// <summary>Runs <paramref name="work"/> and, once it has taken <paramref name="delay"/>, shows its progress on <paramref name="console"/>.</summary>
    internal static T Run<T>(IAnsiConsole console, string title, TimeSpan delay, Func<IProgress<ImportProgress>?, T> work)
    {
        var state = new State();
        var task = Task.Factory.StartNew(() => work(state), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var done = ((IAsyncResult)task).AsyncWaitHandle;
        if (!done.WaitOne(delay))
        {
            console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bar = context.AddTask(Markup.Escape(title)).IsIndeterminate();
                    do
                    {
                        Show(bar, title, state.Current);
                    }
                    while (!done.WaitOne(100));
                    Show(bar, title, state.Current);
                    bar.StopTask();
                });
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>The bar for what the import last reported: entries read (no total yet), entries written of the total, then the screening index.</summary>
    private static void Show(ProgressTask bar, string title, ImportProgress? progress)
    {
        switch (progress)
        {
            case { Phase: ImportPhase.Writing, Total: { } total } p:
                bar.IsIndeterminate = false;
                bar.MaxValue = Math.Max(total, 1);
                bar.Value = p.Done;
                bar.Description = Markup.Escape($"{title}: writing {total:N0} entries");
                break;
            case { Phase: ImportPhase.Indexing }:
                bar.IsIndeterminate = true;
                bar.Description = Markup.Escape($"{title}: screening index");
                break;
            case { } p:
                bar.Description = Markup.Escape($"{title}: reading, {p.Done:N0} entries");
                break;
            default:
                bar.Description = Markup.Escape($"{title}: reading");
                break;
        }
    }

    /// <summary>The last report, written by the import's thread and read by the display's.</summary>
    private sealed class State : IProgress<ImportProgress>
    {
        private readonly Lock _lock = new();
        private ImportProgress? _current;

        public ImportProgress? Current
        {
            get
            {
                lock (_lock)
                {
                    return _current;
                }
            }
        }

        public void Report(ImportProgress value)
        {
            lock (_lock)
            {
                _current = value;
            }
        }
    }
}
