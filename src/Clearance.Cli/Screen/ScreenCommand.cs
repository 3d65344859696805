using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Spectre.Console;

namespace Clearance.Cli.Screen;

/// <summary>
/// <c>clearance screen</c>: screens a name, or every party in a file, against the restricted-party
/// lists; <c>clearance screen pairs</c> scores given pairs of names (for evaluation).
/// </summary>
public static class ScreenCommand
{
    /// <summary>Creates the <c>screen</c> command with its <c>pairs</c> subcommand.</summary>
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "The name to screen, in any script.", Arity = ArgumentArity.ZeroOrOne };
        var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 country or nationality of the party." };
        var type = new Option<string?>("--type") { Description = "person, organization, vessel, aircraft or any (default)." };
        var dob = new Option<string?>("--dob") { Description = "Date of birth: 1965, 1965-03 or 1965-03-12." };
        var threshold = new Option<double?>("--threshold")
        {
            Description = FormattableString.Invariant($"Least score reported (default {ScreeningIndex.DefaultThreshold})."),
        };
        var limit = new Option<int>("--limit") { Description = "Most matches per party.", DefaultValueFactory = _ => 10 };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        var input = new Option<string?>("--input") { Description = "Screen every party of a JSON Lines or CSV file (id,name,country,type,dob,address); writes JSON Lines." };
        var lists = new Option<string[]>("--list")
        {
            Description = "A list file to screen against, FORMAT:PATH[,PATH...]; repeatable. Formats: " + string.Join(", ", ListFiles.Formats) + ".",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("screen", "Screen a party against the restricted-party lists.")
        {
            name, country, type, dob, threshold, limit, output, input, lists,
        };
        command.Subcommands.Add(CreatePairs());
        command.SetAction(parseResult =>
        {
            try
            {
                string? inputPath = parseResult.GetValue(input);
                string? single = parseResult.GetValue(name);
                if (inputPath is null == single is null)
                {
                    Console.Error.WriteLine("error: give either a NAME or --input FILE");
                    return 2;
                }

                string[] listSpecs = parseResult.GetValue(lists) ?? [];
                if (listSpecs.Length == 0)
                {
                    Console.Error.WriteLine("error: no lists to screen against: pass --list FORMAT:PATH (e.g. --list meti-eul:meti_eul_2025-09-29.csv)");
                    return 2;
                }

                ScreeningIndex index = ScreeningIndex.Build(ListSpecs.Load(listSpecs));
                double? t = parseResult.GetValue(threshold);
                int n = parseResult.GetValue(limit);
                if (inputPath is not null)
                {
                    return ScreenFile(index, inputPath, t, n);
                }

                var query = new ScreeningQuery(
                    single!,
                    parseResult.GetValue(country),
                    ScreenInput.ParseKind(parseResult.GetValue(type), "--type", 0),
                    parseResult.GetValue(dob),
                    t,
                    n);
                IReadOnlyList<ScreeningMatch> matches = index.Screen(query);
                string format = parseResult.GetValue(output) ?? "table";
                if (format == "json")
                {
                    WriteJsonLine(Console.OpenStandardOutput(), "query", single!, matches);
                }
                else
                {
                    WriteTable(single!, matches, index);
                }

                return 0;
            }
            catch (Exception e) when (e is ScreenInputException or ListFormatException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        return command;
    }

    private static Command CreatePairs()
    {
        var input = new Option<string>("--input") { Description = "JSON Lines or CSV of {id, name1, name2, schema}.", Required = true };
        var threshold = new Option<double?>("--threshold")
        {
            Description = FormattableString.Invariant($"Score at which a pair is a match (default {ScreeningIndex.DefaultThreshold})."),
        };
        var command = new Command("pairs", "Score pairs of names with the screening name scorer; writes {id, score, match} JSON Lines.")
        {
            input, threshold,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                double t = parseResult.GetValue(threshold) ?? ScreeningIndex.DefaultThreshold;
                using Stream stdout = Console.OpenStandardOutput();
                using var json = new Utf8JsonWriter(stdout);
                foreach (NamePairRecord pair in ScreenInput.ReadPairs(parseResult.GetValue(input)!))
                {
                    double score = NameScorer.Score(NameNormalizer.Normalize(pair.Name1), NameNormalizer.Normalize(pair.Name2));
                    json.WriteStartObject();
                    json.WriteString("id", pair.Id);
                    json.WriteNumber("score", Math.Round(score, 4));
                    json.WriteBoolean("match", score >= t);
                    json.WriteEndObject();
                    json.Flush();
                    stdout.WriteByte((byte)'\n');
                    json.Reset();
                }

                return 0;
            }
            catch (ScreenInputException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 1;
            }
        });
        return command;
    }

    private static int ScreenFile(ScreeningIndex index, string path, double? threshold, int limit)
    {
        // Read and validate the whole file first, so that a bad line stops the run before anything is written.
        List<PartyRecord> parties = [.. ScreenInput.ReadParties(path)];
        using Stream stdout = Console.OpenStandardOutput();
        foreach (PartyRecord party in parties)
        {
            var query = new ScreeningQuery(party.Name, party.Country, party.Kind, party.BirthDate, threshold, limit);
            WriteJsonLine(stdout, "id", party.Id, index.Screen(query));
        }

        return 0;
    }

    private static void WriteJsonLine(Stream stream, string idProperty, string id, IReadOnlyList<ScreeningMatch> matches)
    {
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString(idProperty, id);
            json.WriteStartArray("matches");
            foreach (ScreeningMatch match in matches)
            {
                MatchJson.WriteMatch(json, match);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    private static void WriteTable(string query, IReadOnlyList<ScreeningMatch> matches, ScreeningIndex index)
    {
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture,
            "[bold]{0}[/]: {1} match(es) among {2} entries ({3} names), algorithm {4}",
            Markup.Escape(query), matches.Count, index.EntityCount, index.NameCount, NameScorer.Algorithm);
        if (matches.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Score", "List", "Entry", "Name", "Matched name", "Why");
        foreach (ScreeningMatch match in matches)
        {
            table.AddRow(
                match.Score.ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(match.ListId),
                Markup.Escape(match.EntityId),
                Markup.Escape(match.PrimaryName),
                Markup.Escape(match.MatchedName),
                Markup.Escape(MatchJson.Summary(match.Explanation)));
        }

        AnsiConsole.Write(table);
    }
}
