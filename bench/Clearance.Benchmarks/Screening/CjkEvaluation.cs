using System.Globalization;
using Clearance.Application;
using Clearance.Screening;
using Clearance.Screening.Matching;

namespace Clearance.Benchmarks.Screening;

/// <summary>
/// The Japanese, Korean and Chinese part of the screening evaluation (issue 14): listed names as those languages write
/// them (cross_script_cjk.csv, authored from public sources), the METI End User List's own kanji names against its Latin
/// ones, and ordinary people and companies written in kanji, kana, Hangul and Hanzi (false alarms). Uses only
/// <see cref="ScreeningIndex.Screen(ScreeningQuery)"/>, so the same program measures an older build of the library.
/// With --errors the first 30 alarms of each ordinary set are printed; the environment variable CLEARANCE_CJK_ALARMS_SHOWN
/// sets another number (all of them, to study the causes of a whole set).
/// </summary>
internal static class CjkEvaluation
{
    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static void Run(List<ListEntity> entities, ScreeningIndex index, bool verbose)
    {
        CrossScriptRenderings(index, verbose);
        MetiKanjiNames(verbose);
        FalseAlarms(index, verbose);
    }

    private static void CrossScriptRenderings(ScreeningIndex index, bool verbose)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Screening", "cross_script_cjk.csv");
        int total = 0, found = 0, withoutWords = 0, foundWithoutWords = 0, heldOut = 0, foundHeldOut = 0;
        var missed = new List<string>();
        foreach (string[] row in DevEvalData.CsvRows(path).Where(r => r.Length >= 6 && !r[0].StartsWith('#')).Skip(1))
        {
            (string query, string expected, bool needsWords) = (row[0], row[2], row[5] == "needs-words");
            IReadOnlyList<ScreeningMatch> matches = index.Screen(new ScreeningQuery(query, Limit: 100));
            bool hit = matches.Any(m => string.Equals(m.PrimaryName, expected, StringComparison.OrdinalIgnoreCase));
            total++;
            found += hit ? 1 : 0;
            withoutWords += needsWords ? 0 : 1;
            foundWithoutWords += hit && !needsWords ? 1 : 0;
            heldOut += row[5] == "held-out" ? 1 : 0;
            foundHeldOut += hit && row[5] == "held-out" ? 1 : 0;
            if (!hit)
            {
                ScreeningMatch? best = index.Screen(new ScreeningQuery(query, Threshold: 0.0, Limit: 400))
                    .FirstOrDefault(m => string.Equals(m.PrimaryName, expected, StringComparison.OrdinalIgnoreCase));
                missed.Add(F($"{query} → {expected} {(best is null ? "not reached" : best.Score.ToString("0.000", CultureInfo.InvariantCulture))}{(needsWords ? " (needs-words)" : "")}"));
            }
        }

        Console.WriteLine(F($"CJK renderings of listed names (cross_script_cjk.csv, {total} rows): found {found}/{total} at the default threshold; rows without organisation words {foundWithoutWords}/{withoutWords}; held-out rows {foundHeldOut}/{heldOut}"));
        if (verbose && missed.Count > 0)
        {
            Console.WriteLine("  missed: " + string.Join("; ", missed));
        }
    }

    /// <summary>
    /// The METI End User List's 2024-04 name index writes many entries as "LATIN NAME (漢字名)": the kanji name screened
    /// against the entries' Latin names alone (the kanji removed from the index) must find its own entry.
    /// </summary>
    private static void MetiKanjiNames(bool verbose)
    {
        string path = Path.Combine(DevEvalData.ListsDirectory(), "meti_eul", "meti_eul_names_2024-04.csv");
        var pairs = new List<(string Kanji, string Latin, string Id)>();
        foreach (string[] row in DevEvalData.CsvRows(path).Skip(1).Where(r => r.Length >= 2))
        {
            string name = row[0];
            int open = name.LastIndexOf('(');
            if (open > 0 && name.EndsWith(')') && name[(open + 1)..^1].Any(c => c >= '\u3040'))
            {
                pairs.Add((name[(open + 1)..^1], name[..open].Trim(), row[1]));
            }
        }

        var latin = pairs.GroupBy(p => p.Id).Select(g => new ListEntity(
            "meti-latin", g.Key, EntityKind.Organization, g.First().Latin,
            [.. g.Skip(1).Select(p => new EntityAlias(p.Latin, AliasStrength.Strong))], [], [], [], [], [], null, null)).ToList();
        ScreeningIndex index = ScreeningIndex.Build(latin);
        int found = 0;
        var missed = new List<string>();
        foreach ((string kanji, string name, string id) in pairs)
        {
            bool hit = index.Screen(new ScreeningQuery(kanji, Limit: 100)).Any(m => m.EntityId == id);
            found += hit ? 1 : 0;
            if (!hit && missed.Count < 40)
            {
                missed.Add($"{kanji} → {name}");
            }
        }

        Console.WriteLine(F($"METI End User List kanji names against the entries' Latin names ({pairs.Count} from meti_eul_names_2024-04.csv): found {found}/{pairs.Count}"));
        if (verbose && missed.Count > 0)
        {
            Console.WriteLine("  missed (first 40): " + string.Join("; ", missed));
        }
    }

    private static int AlarmsShown =>
        int.TryParse(Environment.GetEnvironmentVariable("CLEARANCE_CJK_ALARMS_SHOWN"), NumberStyles.None, CultureInfo.InvariantCulture, out int shown) ? shown : 30;

    private static void FalseAlarms(ScreeningIndex index, bool verbose)
    {
        const int People = 10_000, Companies = 5_000;
        int personAlarms = 0, personAlarmsNameOnly = 0, companyAlarms = 0;
        var shownPeople = new List<string>();
        var shownCompanies = new List<string>();
        var latencies = new List<double>(People + Companies);
        var watch = new System.Diagnostics.Stopwatch();
        foreach ((string name, string country, string dob) in OrdinaryCjkParties.People(People, seed: 43))
        {
            watch.Restart();
            IReadOnlyList<ScreeningMatch> matches = index.Screen(new ScreeningQuery(name, country, EntityKind.Person, dob, Limit: 1));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (matches.Count > 0)
            {
                personAlarms++;
                Remember(shownPeople, name, matches[0]);
            }

            personAlarmsNameOnly += index.Screen(new ScreeningQuery(name, Kind: EntityKind.Person, Limit: 1)).Count > 0 ? 1 : 0;
        }

        foreach ((string name, string country) in OrdinaryCjkParties.Companies(Companies, seed: 44))
        {
            watch.Restart();
            IReadOnlyList<ScreeningMatch> matches = index.Screen(new ScreeningQuery(name, country, EntityKind.Organization, Limit: 1));
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (matches.Count > 0)
            {
                companyAlarms++;
                Remember(shownCompanies, name, matches[0]);
            }
        }

        Console.WriteLine(F($"ordinary CJK people ({People:N0}, seed 43, kanji/kana/Hangul/Hanzi, with birth date and nationality): false-alarm rate {(double)personAlarms / People:0.0000} ({personAlarms}); name only: {(double)personAlarmsNameOnly / People:0.0000}"));
        Console.WriteLine(F($"ordinary CJK companies ({Companies:N0}, seed 44, with country): false-alarm rate {(double)companyAlarms / Companies:0.0000} ({companyAlarms})"));
        latencies.Sort();
        Console.WriteLine(F($"  these {latencies.Count:N0} queries one at a time (first pass, one thread): {latencies.Count / (latencies.Sum() / 1000):N0} queries/s, p50 {latencies[latencies.Count / 2]:0.000} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.000} ms, max {latencies[^1]:0.0} ms"));
        // Each set gets its own list: the people come first and used to fill the list before any company showed.
        if (verbose && shownPeople.Count > 0)
        {
            Console.WriteLine(F($"  people alarms (first {AlarmsShown}): ") + string.Join("; ", shownPeople));
        }

        if (verbose && shownCompanies.Count > 0)
        {
            Console.WriteLine(F($"  company alarms (first {AlarmsShown}): ") + string.Join("; ", shownCompanies));
        }

        static void Remember(List<string> shown, string name, ScreeningMatch match)
        {
            if (shown.Count < AlarmsShown)
            {
                shown.Add(F($"{name} → {match.ListId}/{match.EntityId} {match.MatchedName} {match.Score:0.000} ({MatchJson.Summary(match.Explanation)})"));
            }
        }
    }
}
