using System.Diagnostics;
using System.Globalization;
using Clearance.Application;
using Clearance.Screening;
using Clearance.Screening.Matching;

namespace Clearance.Benchmarks.Screening;

/// <summary>
/// The screening quality evaluation and end-to-end speed run:
/// dotnet run -c Release --project bench/Clearance.Benchmarks -- screening-eval [--errors] [--pairs-only] [--speed] [--cjk].
/// Every generated set has a fixed seed.
/// </summary>
internal static class ScreeningEvaluationProgram
{
    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public static int Run(string[] args)
    {
        bool verbose = args.Contains("--errors");
        if (args.Contains("--cjk"))
        {
            // The Japanese, Korean and Chinese sets alone (through ScreeningIndex.Screen only, so that the same program
            // measures an older build of the library too).
            List<ListEntity> lists = AllLists.Load();
            CjkEvaluation.Run(lists, ScreeningIndex.Build(lists), verbose);
            return 0;
        }

        NamePairs(verbose);
        OfacFixtures();
        CrossScript();
        if (args.Contains("--pairs-only"))
        {
            return 0;
        }

        var watch = Stopwatch.StartNew();
        List<ListEntity> entities = AllLists.Load();
        double parse = watch.Elapsed.TotalSeconds;
        watch.Restart();
        ScreeningIndex index = ScreeningIndex.Build(entities);
        double build = watch.Elapsed.TotalSeconds;
        Console.WriteLine(F($"all lists: {entities.Count} entities, {index.NameCount} names, {index.TokenCount} tokens; parse {parse:0.00} s, index build {build:0.00} s"));

        ListedPersonRecall(entities, index, verbose);
        UndatedListedPersonRecall(entities, index);
        FalseAlarms(index, verbose);
        CjkEvaluation.Run(entities, index, verbose);
        if (Environment.GetEnvironmentVariable("CLEARANCE_ALARM_DUMP") is { Length: > 0 } dump)
        {
            DumpAlarms(entities, index, dump);
        }
        if (args.Contains("--speed"))
        {
            Speed(entities, index);
        }

        return 0;
    }

    private static void NamePairs(bool verbose)
    {
        var pairs = DevEvalData.NameBenchCases();
        Console.WriteLine($"contrib_name_bench_cases.csv: {pairs.Count} labelled pairs (OpenSanctions logic-v2: F1 0.79 at 0.7)");
        foreach (double t in new[] { 0.70, 0.75, 0.80, 0.85, 0.90 })
        {
            var m = PairEvaluation.Measure(pairs, t);
            Console.WriteLine(F($"  threshold {t:0.00}{(t == ScreeningIndex.DefaultThreshold ? " (default)" : "")}: precision {m.Precision:0.000} recall {m.Recall:0.000} F1 {m.F1:0.000} (tp {m.Tp} fp {m.Fp} fn {m.Fn} tn {m.Tn})"));
        }

        foreach (var group in pairs.GroupBy(p => p.Kind))
        {
            var m = PairEvaluation.Measure([.. group], ScreeningIndex.DefaultThreshold);
            Console.WriteLine(F($"  {group.Key} ({group.Count()}): precision {m.Precision:0.000} recall {m.Recall:0.000} F1 {m.F1:0.000}"));
        }

        // A held-out check: every case group is split in two halves with a fixed seed; the scorer was
        // tuned looking at the errors of the first half only.
        var (tune, heldOut) = DevEvalData.SplitHalves(pairs, seed: 20260801);
        var mt = PairEvaluation.Measure(tune, ScreeningIndex.DefaultThreshold);
        var mh = PairEvaluation.Measure(heldOut, ScreeningIndex.DefaultThreshold);
        Console.WriteLine(F($"  tuning half ({tune.Count}, seed 20260801): precision {mt.Precision:0.000} recall {mt.Recall:0.000} F1 {mt.F1:0.000}; held-out half ({heldOut.Count}): precision {mh.Precision:0.000} recall {mh.Recall:0.000} F1 {mh.F1:0.000}"));

        var nonAscii = pairs.Where(p => !p.Name1.All(char.IsAscii) || !p.Name2.All(char.IsAscii)).ToList();
        var mn = PairEvaluation.Measure(nonAscii, ScreeningIndex.DefaultThreshold);
        Console.WriteLine(F($"  non-ASCII pairs ({nonAscii.Count}): precision {mn.Precision:0.000} recall {mn.Recall:0.000} F1 {mn.F1:0.000}"));
        if (verbose)
        {
            // Only the tuning half's errors are shown, so that the held-out half stays unseen.
            PairEvaluation.Measure(tune, ScreeningIndex.DefaultThreshold, (p, s) => Console.WriteLine(F(
                $"    {(p.IsMatch ? "FN" : "FP")} {s:0.000} [{p.Kind}] {p.Name1} | {p.Name2}")));
        }
    }

    private static void OfacFixtures()
    {
        string path = Path.Combine(DevEvalData.ListsDirectory(), "dev-eval", "tests_matching_name_based_ofac_fixtures.csv");
        var rows = DevEvalData.CsvRows(path).Skip(1).Where(r => r.Length >= 3)
            .Select(r => (Query: r[0], Result: r[1], Ofac: double.Parse(r[2], CultureInfo.InvariantCulture) / 100.0))
            .ToList();
        var ours = rows.Select(r => NameScorer.Score(NameNormalizer.Normalize(r.Query), NameNormalizer.Normalize(r.Result))).ToList();
        double mae = rows.Select((r, i) => Math.Abs(r.Ofac - ours[i])).Average();
        int exact = rows.Count(r => r.Ofac >= 1.0);
        int exactOurs = rows.Where((r, i) => r.Ofac >= 1.0 && ours[i] >= ScreeningIndex.DefaultThreshold).Count();
        double spearman = Spearman(rows.Select(r => r.Ofac).ToList(), ours);
        Console.WriteLine(F($"OFAC Sanctions List Search fixtures: {rows.Count} scored results; OFAC 100s we match at the default threshold: {exactOurs}/{exact}; Spearman rank correlation with OFAC {spearman:0.000}; mean |ours - OFAC| {mae:0.000}"));
        int ofacBelow = rows.Count(r => r.Ofac < 0.9);
        int oursAbove = rows.Where((r, i) => r.Ofac < 0.9 && ours[i] >= ScreeningIndex.DefaultThreshold).Count();
        Console.WriteLine(F($"  results OFAC scores below 90 that we report at the default threshold: {oursAbove}/{ofacBelow}"));
    }

    private static void CrossScript()
    {
        string path = Path.Combine(DevEvalData.ListsDirectory(), "dev-eval", "cross_script_pairs.csv");
        int total = 0, reached = 0, matched = 0;
        var lines = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line) || line.StartsWith("Query,", StringComparison.Ordinal))
            {
                continue;
            }

            string[] f = line.Split(',');
            double min = double.Parse(f[2], CultureInfo.InvariantCulture);
            double score = PairScorer.Score(f[0], f[1]);
            total++;
            reached += score >= min ? 1 : 0;
            matched += score >= ScreeningIndex.DefaultThreshold ? 1 : 0;
            lines.Add(F($"{f[0]}→{f[1]} {score:0.00} (min {min:0.00})"));
        }

        Console.WriteLine($"cross-script pairs: {reached}/{total} reach the file's minimum score, {matched}/{total} match at the default threshold");
        Console.WriteLine("  " + string.Join("; ", lines));
    }

    private static void ListedPersonRecall(List<ListEntity> entities, ScreeningIndex index, bool verbose)
    {
        var random = new Random(20260731);
        var persons = entities.Where(e => e.Kind == EntityKind.Person && e.PrimaryName.Length > 0).ToList();
        int total = 0, found = 0;
        for (int i = 0; i < 5000; i++)
        {
            ListEntity person = persons[random.Next(persons.Count)];
            string query = Typo(Reorder(person.PrimaryName, random), random);
            string? country = person.Countries.Count > 0 ? person.Countries[0] : null;
            string? dob = person.BirthDates.Count > 0 ? person.BirthDates[0] : null;
            var matches = index.Screen(new ScreeningQuery(query, country, EntityKind.Person, dob, Limit: 50));
            total++;
            if (matches.Any(m => m.IsListedAs(person.ListId, person.EntityId)))
            {
                found++;
            }
            else if (verbose)
            {
                Console.WriteLine($"    missed: {query} (listed {person.ListId}/{person.EntityId} {person.PrimaryName})");
            }
        }

        Console.WriteLine(F($"listed persons with one typo and reordered names (5,000, seed 20260731, with their country and birth date): recall {(double)found / total:0.0000} ({found}/{total})"));
    }

    /// <summary>
    /// The cost of the unconfirmed-birth-date rule: listed persons whose entry has no birth date, queried
    /// with one typo, reordered words, their country and a birth date of their own (the query side always
    /// knows one in this setting), as a party screened with full details would be.
    /// </summary>
    private static void UndatedListedPersonRecall(List<ListEntity> entities, ScreeningIndex index)
    {
        var random = new Random(20260802);
        var persons = entities.Where(e => e.Kind == EntityKind.Person && e.PrimaryName.Length > 0 && e.BirthDates.Count == 0).ToList();
        int found = 0, foundExact = 0;
        const int total = 2000;
        for (int i = 0; i < total; i++)
        {
            ListEntity person = persons[random.Next(persons.Count)];
            string exact = Reorder(person.PrimaryName, random);
            string query = Typo(exact, random);
            string? country = person.Countries.Count > 0 ? person.Countries[0] : null;
            string dob = new DateOnly(1940, 1, 1).AddDays(random.Next(65 * 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            bool Hit(string name) => index.Screen(new ScreeningQuery(name, country, EntityKind.Person, dob, Limit: 50))
                .Any(m => m.IsListedAs(person.ListId, person.EntityId));
            found += Hit(query) ? 1 : 0;
            foundExact += Hit(exact) ? 1 : 0;
        }

        Console.WriteLine(F($"listed persons without a listed birth date (2,000, seed 20260802), queried with their country and a birth date: recall {(double)foundExact / total:0.0000} reordered, {(double)found / total:0.0000} reordered with one typo ({persons.Count} such persons)"));
    }

    private static void FalseAlarms(ScreeningIndex index, bool verbose)
    {
        int total = 0, alarms = 0, alarmsNameOnly = 0;
        var alarmLists = new Dictionary<string, int>();
        foreach ((string name, string country, string dob) in OrdinaryPeople.Generate(50_000, seed: 42))
        {
            total++;
            var matches = index.Screen(new ScreeningQuery(name, country, EntityKind.Person, dob, Limit: 1));
            if (matches.Count > 0)
            {
                alarms++;
                alarmLists[matches[0].ListId] = alarmLists.GetValueOrDefault(matches[0].ListId) + 1;
                if (verbose && alarms <= 30)
                {
                    Console.WriteLine(F($"    alarm: {name} {country} {dob} → {matches[0].ListId}/{matches[0].EntityId} {matches[0].MatchedName} {matches[0].Score:0.000} ({MatchJson.Summary(matches[0].Explanation)})"));
                }
            }

            if (total <= 10_000 && index.Screen(new ScreeningQuery(name, Kind: EntityKind.Person, Limit: 1)).Count > 0)
            {
                alarmsNameOnly++;
            }
        }

        Console.WriteLine(F($"ordinary people (50,000, seed 42, with birth date and nationality): false-alarm rate {(double)alarms / total:0.0000} ({alarms}); name only (first 10,000): {(double)alarmsNameOnly / 10_000:0.0000}"));
        Console.WriteLine("  alarms by list of the best match: " + string.Join(", ", alarmLists.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
    }

    private static void DumpAlarms(List<ListEntity> entities, ScreeningIndex index, string path)
    {
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in entities)
        {
            foreach (string n in new[] { e.PrimaryName }.Concat(e.Aliases.Select(a => a.Name)).Distinct())
            {
                foreach (string t in NameNormalizer.Normalize(n).Tokens.Distinct())
                {
                    df[t] = df.GetValueOrDefault(t) + 1;
                }
            }
        }

        using var w = new StreamWriter(path);
        foreach ((string name, string country, string dob) in OrdinaryPeople.Generate(50_000, seed: 42))
        {
            var m = index.Screen(new ScreeningQuery(name, country, EntityKind.Person, dob, Limit: 1, Threshold: 0.6));
            if (m.Count == 0) continue;
            var x = m[0];
            string dfs = string.Join(" ", NameNormalizer.Normalize(name).Tokens.Select(t => $"{t}:{df.GetValueOrDefault(t)}"));
            string ldfs = string.Join(" ", NameNormalizer.Normalize(x.MatchedName).Tokens.Select(t => $"{t}:{df.GetValueOrDefault(t)}"));
            w.WriteLine(F($"{name}\t{country}\t{dob}\t{x.ListId}\t{x.MatchedName}\t{x.Score:0.000}\t{x.Explanation.NameScore:0.000}\t{x.Entity.BirthDates.Count}\t{string.Join(",", x.Entity.Countries)}\t{x.Entity.Kind}\t{dfs}\t{ldfs}\t{MatchJson.Summary(x.Explanation)}"));
        }
    }

    private static string Reorder(string name, Random random)
    {
        string[] words = name.Replace(",", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 1 && random.Next(2) == 0)
        {
            random.Shuffle(words);
        }

        return string.Join(' ', words);
    }

    /// <summary>One typo in a word of four or more letters: a dropped, doubled, swapped or replaced letter.</summary>
    internal static string Typo(string name, Random random)
    {
        var chars = name.ToCharArray().ToList();
        var positions = Enumerable.Range(1, Math.Max(0, chars.Count - 2))
            .Where(i => char.IsLetter(chars[i]) && char.IsLetter(chars[i - 1]) && char.IsLetter(chars[i + 1])).ToList();
        if (positions.Count == 0)
        {
            return name;
        }

        int p = positions[random.Next(positions.Count)];
        switch (random.Next(4))
        {
            case 0: chars.RemoveAt(p); break;
            case 1: chars.Insert(p, chars[p]); break;
            case 2: (chars[p], chars[p + 1]) = (chars[p + 1], chars[p]); break;
            default: chars[p] = (char)('a' + random.Next(26)); break;
        }

        return new string([.. chars]);
    }

    private static double Spearman(List<double> a, List<double> b)
    {
        static double[] Ranks(List<double> v)
        {
            var order = v.Select((x, i) => (x, i)).OrderBy(p => p.x).ToList();
            var ranks = new double[v.Count];
            for (int i = 0; i < order.Count;)
            {
                int j = i;
                while (j + 1 < order.Count && order[j + 1].x == order[i].x) j++;
                for (int k = i; k <= j; k++) ranks[order[k].i] = (i + j) / 2.0;
                i = j + 1;
            }

            return ranks;
        }

        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        double va = Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma))), vb = Math.Sqrt(rb.Sum(y => (y - mb) * (y - mb)));
        return cov / (va * vb);
    }

    /// <summary>The query mix of the speed runs: half listed names with a typo, half ordinary people with birth date and nationality.</summary>
    internal static List<ScreeningQuery> SpeedQueries(List<ListEntity> entities, int count, int seed)
    {
        var random = new Random(seed);
        var queries = new List<ScreeningQuery>(count);
        var people = OrdinaryPeople.Generate(10_000, seed: seed + 1).ToList();
        for (int i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                ListEntity e = entities[random.Next(entities.Count)];
                queries.Add(new ScreeningQuery(Typo(e.PrimaryName, random)));
            }
            else
            {
                var p = people[random.Next(people.Count)];
                queries.Add(new ScreeningQuery(p.Name, p.Country, EntityKind.Person, p.BirthDate));
            }
        }

        return queries;
    }

    /// <summary>
    /// The speed run alone (dotnet run -c Release --project bench/Clearance.Benchmarks -- screening-speed): build, snapshot
    /// save and load, then batch and single-query speed on the index loaded from the snapshot, as the CLI uses it.
    /// </summary>
    public static int RunSpeed()
    {
        var watch = Stopwatch.StartNew();
        List<ListEntity> entities = AllLists.Load();
        double parse = watch.Elapsed.TotalSeconds;
        watch.Restart();
        ScreeningIndex built = ScreeningIndex.Build(entities);
        double build = watch.Elapsed.TotalSeconds;
        using var snapshot = new MemoryStream();
        watch.Restart();
        built.Save(snapshot, "speed");
        double save = watch.Elapsed.TotalSeconds;
        byte[] bytes = snapshot.ToArray();
        watch.Restart();
        ScreeningIndex index = ScreeningIndex.Load(bytes, "speed")!;
        double load = watch.Elapsed.TotalSeconds;
        Console.WriteLine(F($"all lists: {entities.Count} entities, {index.NameCount} names, {index.TokenCount} tokens; parse {parse:0.00} s, build {build:0.00} s, snapshot {bytes.Length / 1048576.0:0.0} MB: save {save:0.00} s, load {load * 1000:0} ms"));
        Speed(entities, index);
        return 0;
    }

    /// <summary>
    /// Writes the speed-run query mix as a <c>clearance screen --input</c> JSON Lines file
    /// (screening-parties COUNT PATH; seed 5, as the speed run), for bench/screen-e2e.sh.
    /// </summary>
    public static int WriteParties(string[] args)
    {
        int count = int.Parse(args[0], CultureInfo.InvariantCulture);
        using var output = new StreamWriter(args[1]);
        int i = 0;
        foreach (ScreeningQuery query in SpeedQueries(AllLists.Load(), count, seed: 5))
        {
            output.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                id = F($"q{i++}"),
                name = query.Name,
                country = query.Country,
                type = query.Kind?.ToString().ToLowerInvariant(),
                dob = query.BirthDate,
            }));
        }

        return 0;
    }

    private static void Speed(List<ListEntity> entities, ScreeningIndex index)
    {
        List<ScreeningQuery> queries = SpeedQueries(entities, 20_000, seed: 5);
        using var self = Process.GetCurrentProcess();
        TimeSpan cpuBefore = self.TotalProcessorTime;
        var first = Stopwatch.StartNew();
        Parallel.ForEach(queries, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, q => index.Screen(q));
        double firstWall = first.Elapsed.TotalSeconds;
        self.Refresh();

        // The process's CPU time beside the wall time: on a shared machine the wall time depends on the load, the CPU time less.
        double firstCpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(F($"batch on {Environment.ProcessorCount} threads, first pass (nothing cached, JIT included): {queries.Count / firstWall:0} queries/s; CPU {firstCpu:0.00} s ({firstCpu / queries.Count * 1e6:0} us per query)"));

        var latencies = new double[queries.Count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < queries.Count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            index.Screen(queries[i]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        double single = watch.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        Console.WriteLine(F($"single thread: {queries.Count / single:0} queries/s; latency p50 {latencies[latencies.Length / 2]:0.000} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:0.000} ms, max {latencies[^1]:0.000} ms"));

        watch.Restart();
        Parallel.ForEach(queries, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, q => index.Screen(q));
        double batch = watch.Elapsed.TotalSeconds;
        Console.WriteLine(F($"batch on {Environment.ProcessorCount} threads: {queries.Count / batch:0} queries/s"));

        watch.Restart();
        int naive = 50;
        for (int i = 0; i < naive; i++) index.ScreenFullScan(queries[i]);
        double fullScan = watch.Elapsed.TotalSeconds / naive;
        Console.WriteLine(F($"naive full scan: {fullScan * 1000:0.0} ms per query ({1 / fullScan:0.0} queries/s)"));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(F($"memory: managed heap {GC.GetTotalMemory(true) / 1048576.0:0} MB, working set {process.WorkingSet64 / 1048576.0:0} MB (lists and index loaded)"));
        GC.KeepAlive(entities);
        GC.KeepAlive(index);
    }
}
