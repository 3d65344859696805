using System.CommandLine;
using System.Text.Json;
using Clearance.Application;
using Clearance.Store;

namespace Clearance.Cli.Lists;

/// <summary><c>clearance lists update</c>: download the official list files and import those Clearance can parse.</summary>
internal static class ListUpdateCommand
{
    public static Command Create()
    {
        var source = new Option<string[]>("--source", "-s") { Description = "Source id(s) to update (default: all): " + string.Join(", ", ListUpdate.Defaults.Select(d => d.Id)), AllowMultipleArgumentsPerToken = true };
        var config = new Option<string?>("--config") { Description = "JSON file of sources overriding or adding to the defaults by id (see docs/lists.md)" };
        var db = ListsCommand.CreateDbOption();
        var allowShrink = ListsCommand.CreateAllowShrinkOption();
        var allowOlder = ListsCommand.CreateAllowOlderOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command("update", "Download the current official list files and import them.") { source, config, db, allowShrink, allowOlder, noRecheck };
        command.SetAction(async (parseResult, cancellation) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            IReadOnlyList<UpdateSource> sources;
            try
            {
                sources = ListUpdate.Select(ListUpdate.Merge(ListUpdate.Defaults, parseResult.GetValue(config)), parseResult.GetValue(source) ?? []);
            }
            catch (JsonException e) when (e.LineNumber is { } line)
            {
                // The reader's own message names its internals (Path: $ | LineNumber: ...): say where, in the file's terms.
                error.WriteLine($"error: --config: {parseResult.GetValue(config)} is not valid JSON (line {line + 1}, byte {e.BytePositionInLine + 1})");
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine(CliMessages.CannotRead("--config", parseResult.GetValue(config)!, e));
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
            if (ListsCommand.OpenStore(parseResult, db) is not { } store)
            {
                return ExitCodes.Failed;
            }

            var downloads = Path.Combine(Path.GetDirectoryName(store.LocalPath)!, "downloads");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("clearance-list-update/1.0");
            var failures = 0;
            var options = new ImportOptions(parseResult.GetValue(allowShrink), parseResult.GetValue(allowOlder));
            foreach (var s in sources)
            {
                if (!await ListUpdate.UpdateOne(s, store, http, Path.Combine(downloads, s.Id), options, output, error, cancellation,
                        (title, import) => ImportProgressDisplay.Run(error, title, import)))
                    failures++;
            }
            ListImport.RefreshScreeningIndex(store, output, error);
            return Shipments.RecheckCommand.Then(failures == 0 ? ExitCodes.Done : ExitCodes.SomeRecordsFailed, parseResult.GetValue(db), parseResult.GetValue(noRecheck));
        });
        return command;
    }
}
