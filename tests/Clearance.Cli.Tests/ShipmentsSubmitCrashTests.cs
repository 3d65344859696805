using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Clearance.Store;
using Clearance.Store.Tests;
using Dapper;

namespace Clearance.Cli.Tests;

/// <summary>
/// <c>shipments submit</c> under the worst conditions: killed with SIGKILL in the middle of a 100,000-line book, and two
/// processes writing one SQLite file at once. Whatever happens, the audit trail verifies, each line is wholly recorded
/// (status, history event, audit record, drawdown) or absent, no licence is overdrawn and nothing is drawn twice.
/// </summary>
public sealed class ShipmentsSubmitCrashTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Submit_KilledMidRun_EachLineWholeOrAbsentNoOverdraw_RerunCompletesWithoutDrawingTwice(string provider)
    {
        var database = _databases.Create(provider);
        var dir = _databases.Directory;
        var book = ShipmentBook.Write(dir, "book.jsonl", ShipmentBook.Lines(0, 100_000));
        Assert.Equal(0, CliRunner.Run(database.Location, null, "licenses", "import", "--input", ShipmentBook.WriteLicences(dir)).Exit);

        // Killed once a few batches are answered (so committed), while later ones are in flight.
        var answered = SubmitUntilKilled(database.Location, book, killAfter: 12_000);

        Assert.InRange(answered.Count, 12_000, 99_000);
        var stored = ShipmentBook.Check(database);
        Assert.InRange(stored.Count, answered.Count, 99_999); // every answered line is stored; the line in flight is not
        Assert.All(answered, id => Assert.Contains(id, stored));
        Assert.Equal(0, CliRunner.Run(database.Location, null, "audit", "verify").Exit);

        var rerun = CliRunner.Run(database.Location, null, "shipments", "submit", "--input", book, "--output", "json");

        Assert.Equal(0, rerun.Exit);
        var lines = rerun.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(100_000, lines.Count);
        var repeated = lines.Where(l => l.TryGetProperty("repeated", out _)).Select(l => l.GetProperty("id").GetString()!).ToHashSet();
        Assert.Superset(stored, repeated); // the lines stored before the kill come back as stored, nothing drawn again
        Assert.Equal(ShipmentBook.Ids, ShipmentBook.Check(database));
        Assert.Equal(0, CliRunner.Run(database.Location, null, "audit", "verify").Exit);
    }

    [Fact]
    public void Submit_TwoProcessesOnOneSqliteFile_NeitherCorruptsNorLosesALine()
    {
        var database = _databases.Create(TestDatabase.Sqlite);
        var dir = _databases.Directory;
        Assert.Equal(0, CliRunner.Run(database.Location, null, "licenses", "import", "--input", ShipmentBook.WriteLicences(dir)).Exit);
        // Lines 0-14,999 and 10,000-24,999: the 5,000 in the middle are submitted by both.
        var first = ShipmentBook.Write(dir, "first.jsonl", ShipmentBook.Lines(0, 15_000));
        var second = ShipmentBook.Write(dir, "second.jsonl", ShipmentBook.Lines(10_000, 15_000));

        var runs = new[] { first, second }.AsParallel().WithDegreeOfParallelism(2)
            .Select(book => CliRunner.Run(database.Location, null, "shipments", "submit", "--input", book, "--output", "json")).ToList();

        Assert.All(runs, r => Assert.Equal((0, ""), (r.Exit, r.Stderr)));
        var answers = runs.SelectMany(r => r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(30_000, answers.Count);
        // Each id shared by both books is recorded by one process and answered as stored before by the other.
        Assert.All(answers.GroupBy(a => a.GetProperty("id").GetString()).Where(g => g.Count() == 2),
            g => Assert.Single(g, a => !a.TryGetProperty("repeated", out _)));
        Assert.Equal(25_000, ShipmentBook.Check(database).Count);
        using var connection = database.CreateProvider().Open();
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.Equal(0, CliRunner.Run(database.Location, null, "audit", "verify").Exit);
    }

    /// <summary>Starts the submit, counts the lines it answers (each batch is answered after it commits) and kills it (SIGKILL) after <paramref name="killAfter"/>; the ids answered.</summary>
    private static List<string> SubmitUntilKilled(string db, string book, int killAfter)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "clearance.dll"), "shipments", "submit", "--input", book, "--output", "json" })
            start.ArgumentList.Add(a);
        start.Environment["CLEARANCE_DB"] = db;
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        var answered = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            answered.Add(JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!);
            if (answered.Count == killAfter)
            {
                process.Kill(); // SIGKILL: no handler runs, the transaction in flight is cut off
                break;
            }
        }

        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode); // killed, not finished
        return answered;
    }
}

/// <summary>
/// A generated book (fixed seed): resist, hydrogen fluoride and polyimide to Korea on 20 licences too small for all that
/// is drawn on them (so later lines are held for the balance), some lines to North Korea (rejected) and to the US (no
/// licence needed).
/// </summary>
internal static class ShipmentBook
{
    private const int LicenceCount = 20;
    private const int LicenceKg = 2_000;
    private static readonly string[] Items = ["JP:7(19)", "JP:3(1)/2(1)(i)(he)", "JP:5(17)/4(xiv)(ro)"];

    /// <summary>The ids of the 100,000-line book.</summary>
    public static HashSet<string> Ids { get; } = [.. Enumerable.Range(0, 100_000).Select(Id)];

    private static string Id(int n) => "SO-" + n.ToString("D6", CultureInfo.InvariantCulture);

    private static string Consignee(int licence) => $"Hanbit Semiconductor {licence} Co., Ltd.";

    /// <summary>Lines <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 of the book (each line the same whatever range it is written in).</summary>
    public static IEnumerable<string> Lines(int first, int count)
    {
        for (var n = first; n < first + count; n++)
        {
            var random = new Random(20261201 + n);
            var licence = random.Next(LicenceCount);
            var to = random.Next(100) switch { < 2 => "KP", < 10 => "US", _ => "KR" };
            var item = to == "US" ? "JP:16" : Items[licence % Items.Length];
            var date = new DateOnly(2019, 9, 2).AddDays(random.Next(300)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            yield return $$$"""{"id":"{{{Id(n)}}}","exporter":"Example Chemical Co.","date":"{{{date}}}","from":"JP","to":"{{{to}}}","item":"{{{item}}}","end_use":"civil","consignee":"{{{Consignee(licence)}}}","quantity":{"amount":{{{random.Next(1, 21)}}},"unit":"kg"}}""";
        }
    }

    public static string Write(TempDirectory dir, string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(dir.FullName, name);
        File.WriteAllLines(path, lines, new UTF8Encoding(false));
        return path;
    }

    public static string WriteLicences(TempDirectory dir) => Write(dir, "licenses.jsonl", Enumerable.Range(0, LicenceCount).Select(l =>
        $$$"""{"number":"METI-2019-{{{l:D4}}}","jurisdiction":"JP","type":"individual","holder":"Example Chemical Co.","items":["{{{Items[l % Items.Length]}}}"],"destinations":["KR"],"consignees":["{{{Consignee(l)}}}"],"valid_from":"2019-08-08","valid_to":"2020-08-07","quantity":{"amount":{{{LicenceKg}}},"unit":"kg"}}"""));

    /// <summary>
    /// The recheck's kept parties (migration 11), folded in from the submit events above its watermark by the summary a
    /// recheck starts with: every open line's party is there, whatever killed submit, and every submit event is below the mark.
    /// </summary>
    public static void AssertRecheckPartiesKept(TestDatabase database)
    {
        var store = ShipmentStore.Open(database.Location);
        var summary = store.OpenLineSummary(store.ListActivations());
        using var connection = database.CreateProvider().Open();
        const string Open = "FROM shipment_facts f JOIN shipments s ON s.id = f.shipment_id WHERE s.status IN ('held', 'released')";
        var openParties = connection.Query<(string, string)>(
            $"SELECT f.end_user, f.destination {Open} AND f.end_user IS NOT NULL UNION SELECT f.consignee, f.destination {Open} AND f.consignee IS NOT NULL").ToHashSet();
        Assert.NotEmpty(openParties);
        Assert.Superset(openParties, summary.Parties.ToHashSet());
        Assert.Superset(openParties, connection.Query<(string, string)>("SELECT name, destination FROM recheck_parties").ToHashSet());
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM shipment_events WHERE action = 'submit' AND id > (SELECT event_id FROM recheck_parties_mark)"));
    }

    /// <summary>
    /// Checks the database after a run, whatever stopped it: every stored line has its submit event and audit record,
    /// a line released on a licence has exactly one drawdown (and one draw audited) and any other none, no licence is
    /// drawn beyond its limit; the ids stored.
    /// </summary>
    public static HashSet<string> Check(TestDatabase database)
    {
        using var connection = database.CreateProvider().Open();
        var shipments = connection.Query<(string Id, string Status, string? License)>("SELECT id, status, license FROM shipments").ToList();
        var events = connection.Query<string>("SELECT shipment FROM shipment_events WHERE action = 'submit'").CountBy(s => s).ToDictionary();
        var audited = connection.Query<string>("SELECT subject FROM audit WHERE action = 'shipment.submit'").ToHashSet();
        var draws = connection.Query<string>("SELECT inputs FROM audit WHERE action = 'license.draw'")
            .Select(i => JsonDocument.Parse(i).RootElement.GetProperty("shipment").GetString()!).ToList();
        var ledger = connection.Query<(string Number, string Shipment, long Quantity)>("SELECT number, shipment, quantity FROM license_ledger").ToList();

        Assert.All(shipments, s => Assert.Equal(1, events.GetValueOrDefault(s.Id)));
        Assert.All(shipments, s => Assert.Contains(s.Id, audited));
        Assert.Equal(shipments.Count, events.Count);
        var drawn = ledger.ToLookup(l => l.Shipment);
        Assert.All(shipments, s => Assert.Equal(s.License is null ? [] : new[] { s.License }, drawn[s.Id].Select(l => l.Number)));
        Assert.Equal(ledger.Count, shipments.Count(s => s.License is not null));
        Assert.Equal(ledger.Select(l => l.Shipment).Order(StringComparer.Ordinal), draws.Order(StringComparer.Ordinal));
        Assert.All(ledger.GroupBy(l => l.Number), g => Assert.True(g.Sum(l => l.Quantity) <= LicenceKg * 10_000L, $"licence {g.Key} overdrawn"));
        Assert.Contains(shipments, s => s.Status == ShipmentStatus.Held); // the licences ran out: the balance was tested
        AssertRecheckPartiesKept(database);
        return [.. shipments.Select(s => s.Id)];
    }
}
