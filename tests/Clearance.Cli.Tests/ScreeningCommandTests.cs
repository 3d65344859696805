using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clearance.Store;
using Clearance.Store.Tests;
using Dapper;

namespace Clearance.Cli.Tests;

/// <summary><c>clearance screening decide|decisions</c> and <c>clearance shipments recheck</c> as commands: bad input, the recheck after a licence change, a kill in the middle of a recheck (on SQLite and PostgreSQL).</summary>
public sealed class ScreeningCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestDatabases _databases = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _databases.Dispose();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    private static string Resist(string id, int kg) =>
        $$$"""{"id":"{{{id}}}","exporter":"Example Chemical Co.","date":"2019-08-20","from":"JP","to":"KR","item":"JP:7(19)","end_use":"civil","consignee":"Korea Semi Co.","quantity":{"amount":{{{kg}}},"unit":"kg"}}""";

    private static readonly string[] Licence =
    [
        "licenses", "add", "--number", "METI-2019-0009", "--jurisdiction", "JP", "--type", "individual", "--holder", "Example Chemical Co.",
        "--item", "JP:7(19)", "--destination", "KR", "--valid-from", "2019-08-08", "--valid-to", "2020-08-07", "--quantity", "1000000 kg",
    ];

    [Fact]
    public void Decide_BadInput_OneLineNamingTheField_NothingRecorded()
    {
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")).Exit);

        var decision = Run("screening", "decide", "--party", "X Co.", "--entity", "ofac-sdn:36", "--decision", "false-postive", "--reason", "r");
        var noReason = Run("screening", "decide", "--party", "X Co.", "--entity", "ofac-sdn:36", "--decision", "false-positive");
        var blankReason = Run("screening", "decide", "--party", "X Co.", "--entity", "ofac-sdn:36", "--decision", "false-positive", "--reason", " ");
        var unknownEntry = Run("screening", "decide", "--party", "X Co.", "--entity", "ofac-sdn:99999999", "--decision", "true-match", "--reason", "r");
        var unknownList = Run("screening", "decide", "--party", "X Co.", "--entity", "ofac-sdm:36", "--decision", "true-match", "--reason", "r");
        var noColon = Run("screening", "decide", "--party", "X Co.", "--entity", "36", "--decision", "true-match", "--reason", "r");

        Assert.Equal((1, "error: --decision: 'false-postive' is not one of false-positive, true-match: did you mean 'false-positive'?"), (decision.Exit, decision.Stderr.Trim()));
        Assert.Equal(1, noReason.Exit);
        Assert.Contains("--reason", noReason.Stderr, StringComparison.Ordinal);
        Assert.Equal((1, "error: --reason: give the reason (it is recorded)"), (blankReason.Exit, blankReason.Stderr.Trim()));
        Assert.Equal((1, "error: --entity: list ofac-sdn has no entry '99999999' in its active version"), (unknownEntry.Exit, unknownEntry.Stderr.Trim()));
        Assert.Equal((1, "error: --entity: no list 'ofac-sdm' among the active lists (ofac-sdn)"), (unknownList.Exit, unknownList.Stderr.Trim()));
        Assert.Equal(1, noColon.Exit);
        Assert.StartsWith("error: --entity: '36' is not LIST:ENTRY_ID", noColon.Stderr, StringComparison.Ordinal);
        Assert.Equal("", Run("screening", "decisions", "-o", "json").Stdout);
        Assert.DoesNotContain("screening.decide", Run("audit", "export").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ListsActivate_OtherVersion_RechecksTheLines_NoRecheckLeavesThem()
    {
        // WUHAN GLOBAL SENSOR TECHNOLOGY (SDN 46633) is in the list of 3 May 2024 (version 2), not in that of 26 April (version 1).
        Assert.Equal(0, Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).Exit);
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-04-26.csv")).Exit);
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")).Exit);
        const string Line = """{"id":"SO-7/1","exporter":"Example Chemical Co.","date":"2024-02-01","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Example Trading FZE","consignee":"Wuhan Global Sensor Technology Co., Ltd."}""";
        Assert.Equal(0, Run("shipments", "submit", "--input", _dir.Write("book.jsonl", Line + "\n")).Exit);
        string Status() => JsonDocument.Parse(Run("shipments", "show", "SO-7/1", "-o", "json").Stdout).RootElement.GetProperty("status").GetString()!;
        Assert.Equal("held", Status());

        var back = Run("lists", "activate", "--list", "ofac-sdn", "--version", "1");
        var backStatus = Status();
        var forward = Run("lists", "activate", "--list", "ofac-sdn", "--version", "2", "--no-recheck");
        var forwardStatus = Status();

        Assert.Equal((0, "released"), (back.Exit, backStatus));
        Assert.StartsWith("recheck: 1 line(s) rechecked, 1 changed;", back.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Equal((0, "", "released"), (forward.Exit, forward.Stderr.Trim(), forwardStatus));
        Assert.Contains("\"changed\":1", Run("shipments", "recheck", "-o", "json").Stdout, StringComparison.Ordinal);
        Assert.Equal("held", Status());
    }

    [Fact]
    public void Decide_RechecksTheHeldLines_NoRecheckLeavesThemHeld()
    {
        // Japan's End User List too: without it every line is indeterminate (the end user cannot be screened).
        Assert.Equal(0, Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).Exit);
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")).Exit);
        static string Line(string id, string consignee) =>
            $$$"""{"id":"{{{id}}}","exporter":"Example Chemical Co.","date":"2024-05-06","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Example Trading FZE","consignee":"{{{consignee}}}"}""";
        Assert.Equal(0, Run("shipments", "submit", "--input", _dir.Write("book.jsonl",
            Line("SO-1/1", "Wuhan Global Sensor Technology Co., Ltd.") + "\n" + Line("SO-2/1", "Anglo-Caribbean Co., Ltd.") + "\n")).Exit);
        string Status(string id) => JsonDocument.Parse(Run("shipments", "show", id, "-o", "json").Stdout).RootElement.GetProperty("status").GetString()!;
        Assert.Equal(("held", "held"), (Status("SO-1/1"), Status("SO-2/1")));

        var quiet = Run("screening", "decide", "--party", "Wuhan Global Sensor Technology Co., Ltd.", "--entity", "ofac-sdn:46633",
            "--decision", "false-positive", "--reason", "another company of that name", "--actor", "analyst", "--no-recheck", "-o", "json");
        var quietStatus = Status("SO-1/1");
        var decided = Run("screening", "decide", "--party", "Anglo-Caribbean Co., Ltd.", "--entity", "ofac-sdn:173",
            "--decision", "false-positive", "--reason", "a shipping agent of Dubai, not the Cuban company", "--actor", "analyst", "-o", "json");

        Assert.Equal((0, "", "held"), (quiet.Exit, quiet.Stderr.Trim(), quietStatus));
        Assert.Equal(0, decided.Exit);
        Assert.Contains("\"status\":\"applies\"", decided.Stdout, StringComparison.Ordinal);
        // The recheck after the second decision applies both: the first one had been recorded without it.
        Assert.StartsWith("recheck: 2 line(s) rechecked, 2 changed;", decided.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Equal(("released", "released"), (Status("SO-1/1"), Status("SO-2/1")));
        Assert.Equal(2, Run("audit", "export").Stdout.Split('\n').Count(l => l.Contains("\"action\":\"shipment.recheck\"", StringComparison.Ordinal)));
        Assert.Equal(0, Run("audit", "verify").Exit);
    }

    /// <summary>
    /// <c>--timings</c> says where a recheck's time went, on standard error (the output stays the same JSON): the phases
    /// of an incremental recheck after a list update, the first line checked again among them, and the process's figures.
    /// </summary>
    [Fact]
    public void Recheck_Timings_PhasesOnStandardErrorOutputUnchanged()
    {
        Assert.Equal(0, Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).Exit);
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", "--allow-older", SharedListFiles.Path("ofac_sdn", "sdn_2024-04-26.csv")).Exit);
        Assert.Equal(0, Run("shipments", "submit", "--input", _dir.Write("book.jsonl",
            """{"id":"SO-1/1","exporter":"Example Chemical Co.","date":"2024-05-06","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Wuhan Global Sensor Technology Co., Ltd.","consignee":"Wuhan Global Sensor Technology Co., Ltd."}""" + "\n")).Exit);
        // The update lists the line's party (an entry of 3 May 2024).
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", "--allow-older", "--no-recheck", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")).Exit);

        var timed = Run("shipments", "recheck", "--timings", "-o", "json");

        Assert.Equal(0, timed.Exit);
        var summary = JsonDocument.Parse(timed.Stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("summary");
        Assert.Equal((1, 1), (summary.GetProperty("lines_checked_again").GetInt32(), summary.GetProperty("changed").GetInt32()));
        const string Head = "recheck phases (wall / process CPU / of which JIT, MB allocated): ";
        var phases = timed.Stderr.Split('\n').Single(l => l.StartsWith(Head, StringComparison.Ordinal));
        // "summary 80/90/10 ms 1.2 MB, check 12 ms, ...; recheck ...": each phase's name before its figures (a phase run
        // once a line has its wall time only).
        var entries = phases[Head.Length..phases.IndexOf(';', StringComparison.Ordinal)].Split(", ");
        Assert.All(entries, p => Assert.Matches(@" (\d+/\d+/\d+ ms [\d.]+ MB|\d+ ms)$", p));
        var names = entries.Select(p => p[..p[..p.LastIndexOf(" ms", StringComparison.Ordinal)].LastIndexOf(' ')]).ToList();
        Assert.All(new[] { "start", "summary", "list diff", "changed entries read", "small index", "parties", "content (waited for)", "read lines", "content for the lines checked again", "first check (the screening index opened)", "lines" },
            phase => Assert.Contains(phase, names));
        Assert.Matches(@"; recheck \d+ ms wall, \d+ ms CPU \(every thread\), JIT \d+ ms \([\d,]+ methods\), [\d.]+ MB allocated$", phases.TrimEnd('\r'));
        Assert.Contains(timed.Stderr.Split('\n'), l => l.StartsWith("process: ", StringComparison.Ordinal) && l.Contains(" ms CPU so far, JIT ", StringComparison.Ordinal)
            && l.Contains(" MB allocated, ", StringComparison.Ordinal));
        // The native heap and the collector's range advised for huge pages at the command's start (NativeHeapHugePages,
        // CollectorHugePages), where the kernel offers them: the command runs on the process's main thread, whose
        // allocations grow the main heap.
        var pages = timed.Stderr.Split('\n').Single(l => l.StartsWith("huge pages: ", StringComparison.Ordinal)).TrimEnd('\r');
        var thp = File.Exists("/sys/kernel/mm/transparent_hugepage/enabled") && !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal);
        Assert.Matches(thp ? @"^huge pages: native heap advised \d+ MB at 0x[0-9a-f]+; collector advised \d+ MB at 0x[0-9a-f]+(, \d+ touched huge page\(s\) collapsed)?$" : "^huge pages: native heap .+; collector .+$", pages);
    }

    [Fact]
    public void ListsImport_FirstVersionOfAList_LineIndeterminateForWantOfItIsCheckedAgain()
    {
        // Only the SDN list at submit: the end user cannot be screened against Japan's End User List, so the line is
        // indeterminate; importing that list for the first time decides it.
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")).Exit);
        const string Line = """{"id":"SO-4/1","exporter":"Example Chemical Co.","date":"2024-05-06","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Example Trading FZE","consignee":"Gulf Packaging LLC"}""";
        Assert.Equal(0, Run("shipments", "submit", "--input", _dir.Write("book.jsonl", Line + "\n")).Exit);
        var before = JsonDocument.Parse(Run("shipments", "show", "SO-4/1", "-o", "json").Stdout).RootElement;
        Assert.Equal(("held", "indeterminate"), (before.GetProperty("status").GetString(), before.GetProperty("reasons")[0].GetProperty("code").GetString()));

        var import = Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));

        Assert.Equal(0, import.Exit);
        Assert.StartsWith("recheck: 1 line(s) rechecked, 1 changed;", import.Stderr.Trim(), StringComparison.Ordinal);
        Assert.EndsWith("1 line(s) checked again in full", import.Stderr.Trim(), StringComparison.Ordinal);
        var after = JsonDocument.Parse(Run("shipments", "show", "SO-4/1", "-o", "json").Stdout).RootElement;
        Assert.Equal(("released", 0), (after.GetProperty("status").GetString(), after.GetProperty("reasons").GetArrayLength()));
    }

    [Fact]
    public void LicenceAdd_RechecksHeldLines_SummaryOnStandardError_NoRecheckLeavesThem()
    {
        Assert.Equal(0, Run("shipments", "submit", "--input", _dir.Write("book.jsonl", Resist("SO-1/1", 200) + "\n" + Resist("SO-1/2", 100) + "\n")).Exit);

        var quiet = Run([.. Licence[..3], "L-QUIET", .. Licence[4..], "--no-recheck"]);
        var added = Run(Licence);
        var again = Run("shipments", "recheck", "-o", "json");

        Assert.Equal((0, ""), (quiet.Exit, quiet.Stderr));
        Assert.Equal(0, added.Exit);
        Assert.Equal("recheck: 2 line(s) rechecked, 2 changed; 0 part(y/ies) screened again against 0 added or changed entr(y/ies); 0 line(s) checked again in full", added.Stderr.Trim());
        var lines = Run("shipments", "list", "-o", "json").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(lines, l => Assert.Equal(("released", "L-QUIET"), (l.GetProperty("status").GetString(), l.GetProperty("license").GetString()))); // granted first, expires the same day: by number
        Assert.Equal("""{"summary":{"lines_rechecked":2,"changed":0,"parties_screened":0,"entries_screened":0,"lines_checked_again":0,"full":false,"errors":[]}}""", again.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Recheck_KilledInTheMiddleOfALargeBook_EachLineWhollyRecheckedOrUntouched_RerunFinishesTheRest(string provider)
    {
        var database = _databases.Create(provider);
        (int Exit, string Stdout, string Stderr) On(params string[] args) => CliRunner.Run(database.Location, null, args);
        // 20,000 held lines: one submitted, the rest copies of its row with their own ids and quantities (fixed seed).
        const int Lines = 20_000;
        Assert.Equal(0, On("shipments", "submit", "--input", _dir.Write("one.jsonl", Resist("B-0", 1) + "\n")).Exit);
        var random = new Random(20190704);
        var quantities = new Dictionary<string, int>(StringComparer.Ordinal) { ["B-0"] = 1 };
        using (var connection = database.CreateProvider().Open())
        using (var transaction = connection.BeginTransaction())
        {
            var row = connection.QuerySingle<(string Reasons, string Determination, string Request, string Demand, string At)>(
                "SELECT s.reasons, s.determination || COALESCE(d.body, ''), s.request, s.demand, s.submitted_at FROM shipments s LEFT JOIN determinations d ON d.sha256 = s.determination_sha256",
                transaction: transaction);
            for (var i = 1; i < Lines; i++)
            {
                var (id, kg) = ($"B-{i}", random.Next(1, 50));
                quantities[id] = kg;
                connection.Execute(
                    "INSERT INTO shipments (id, status, license, reasons, determination, request, demand, submitted_at, updated_at) VALUES (@id, 'held', NULL, @Reasons, @determination, @request, @demand, @At, @At)",
                    new
                    {
                        id, row.Reasons, determination = row.Determination.Replace("\"B-0\"", $"\"{id}\"", StringComparison.Ordinal),
                        request = row.Request.Replace("\"B-0\"", $"\"{id}\"", StringComparison.Ordinal).Replace("\"amount\":1,", $"\"amount\":{kg},", StringComparison.Ordinal),
                        demand = row.Demand.Replace("\"amount\":1,", $"\"amount\":{kg},", StringComparison.Ordinal), row.At,
                    }, transaction);
            }

            transaction.Commit();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(0, On([.. Licence, "--no-recheck"]).Exit);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "clearance.dll"), "shipments", "recheck", "-o", "json" })
            start.ArgumentList.Add(a);
        start.Environment["CLEARANCE_DB"] = database.Location;
        using (var recheck = Process.Start(start)!)
        {
            _ = recheck.StandardOutput.ReadToEndAsync();
            _ = recheck.StandardError.ReadToEndAsync();
            // Generous: on a loaded machine (the whole suite beside other builds) 2,000 lines took more than 3 minutes.
            var deadline = DateTime.UtcNow.AddMinutes(10);
            while (Count(database, "SELECT COUNT(*) FROM shipment_events WHERE action = 'recheck'") < 2_000 && DateTime.UtcNow < deadline && !recheck.HasExited)
                Thread.Sleep(50);
            Assert.False(recheck.HasExited, "the recheck ended before it could be killed");
            // SIGKILL: no handler runs; on PostgreSQL the server sees the connection drop and rolls back its transaction.
            Process.Start("kill", ["-9", recheck.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            recheck.WaitForExit();
        }

        var done = Count(database, "SELECT COUNT(*) FROM shipments WHERE status = 'released'");
        Assert.Equal(0, On("audit", "verify").Exit);
        // Killed in the middle: some lines rechecked (2,000 unless the deadline passed first), not all.
        Assert.InRange(done, 1, Lines - 1);
        AssertWhole(database, quantities);
        // The kept parties (migration 11) were folded in (built whole: the copies have no submit event) and committed
        // before the lines: the mark accounts for every row, and the one party is kept.
        Assert.Equal(Lines, Count(database, "SELECT lines FROM recheck_parties_mark"));
        Assert.Equal(1, Count(database, "SELECT COUNT(*) FROM recheck_parties"));

        var rest = On("shipments", "recheck", "-o", "json");

        Assert.Equal(0, rest.Exit);
        Assert.Contains($"\"changed\":{Lines - done}", rest.Stdout, StringComparison.Ordinal);
        Assert.Equal(Lines, Count(database, "SELECT COUNT(*) FROM shipments WHERE status = 'released'"));
        AssertWhole(database, quantities);
        Assert.Equal(0, On("audit", "verify").Exit);
    }

    private static long Count(TestDatabase database, string sql)
    {
        using var connection = database.CreateProvider().Open();
        return connection.ExecuteScalar<long>(sql);
    }

    /// <summary>Every line released has its one draw (of its quantity), recheck event and audit record; every held line none.</summary>
    private static void AssertWhole(TestDatabase database, IReadOnlyDictionary<string, int> quantities)
    {
        using var connection = database.CreateProvider().Open();
        var released = connection.Query<string>("SELECT id FROM shipments WHERE status = 'released'").ToHashSet(StringComparer.Ordinal);
        var draws = connection.Query<(string, long)>("SELECT shipment, quantity FROM license_ledger").ToList();
        var events = connection.Query<string>("SELECT shipment FROM shipment_events WHERE action = 'recheck'").ToList();
        var audited = connection.Query<string>("SELECT subject FROM audit WHERE action = 'shipment.recheck'").ToList();
        Assert.Equal(released.Order(StringComparer.Ordinal), draws.Select(d => d.Item1).Order(StringComparer.Ordinal));
        Assert.All(draws, d => Assert.Equal(quantities[d.Item1] * 10_000L, d.Item2));
        Assert.Equal(released.Order(StringComparer.Ordinal), events.Order(StringComparer.Ordinal));
        Assert.Equal(released.Order(StringComparer.Ordinal), audited.Order(StringComparer.Ordinal));
    }
}
