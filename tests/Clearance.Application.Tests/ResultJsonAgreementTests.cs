using System.Text;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Screening.Matching;

namespace Clearance.Application.Tests;

/// <summary>
/// The wire form written per line from cached, shared and spliced UTF-8 (<see cref="ResultJson.Write"/>) agrees byte
/// for byte with the reference form written member by member from the result (<see cref="ResultJson.Plain"/>), over
/// generated lines of every regime: items of every jurisdiction's list, destinations, dates around the changes, held
/// licences, re-exports of US items, ids that need escaping, lines in error; compact and with --trace; the same
/// lines written again (from the forms kept with the determinations) and from several threads at once.
/// </summary>
public sealed class ResultJsonAgreementTests(AllListsFixture lists) : IClassFixture<AllListsFixture>
{
    internal static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    private static readonly string[] Destinations = ["KR", "JP", "CN", "HK", "MO", "TW", "RU", "BY", "IR", "KP", "SY", "CU", "DE", "GB", "AU", "IN", "AE", "VN", "US", "UA"];

    private static readonly string[] Dates = ["2019-01-01", "2019-07-04", "2020-06-30", "2022-02-24", "2022-10-07", "2023-11-17", "2024-12-02", "2025-01-15", "2025-05-13", "2026-07-23"];

    private static readonly string[] EndUses = ["civil", "military", "wmd", "unknown"];

    /// <summary>Lines over every jurisdiction's items (a sample of the EAR's), with the fields that shape an answer varied by a seeded generator.</summary>
    internal static List<string> Lines(int seed, int perJurisdiction)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        var us = Evaluator.Content.Jurisdictions.First(j => j.Id == "US");
        foreach (var j in Evaluator.Content.Jurisdictions)
        {
            for (var n = 0; n < perJurisdiction; n++)
            {
                var item = j.Items[random.Next(j.Items.Count)];
                var licences = j.Licenses.Select(l => l.Id).ToList();
                var held = random.Next(3) switch
                {
                    0 => "[]",
                    1 => $"[\"{licences[random.Next(licences.Count)]}\"]",
                    _ => $"[\"{licences[random.Next(licences.Count)]}\", \"{licences[random.Next(licences.Count)]}\"]",
                };
                var id = (n % 5) switch
                {
                    0 => $"{n}",
                    1 => $"\"po-{n} \\\"quoted\\\"\"",
                    2 => $"\"注文-{n}\"",
                    3 => "null",
                    _ => $"\"o-{n}\"",
                };
                // A JP or KR line classifying a US item besides its own: both regimes answer (a combined result).
                var classification = j.Id != "US" && n % 7 == 0
                    ? $"[\"{j.Id}:{item.Code}\", \"US:{us.Items[random.Next(us.Items.Count)].Code}\"]"
                    : n % 11 == 0 ? $"\"{j.Id}:no-such-item\"" : $"\"{j.Id}:{item.Code}\"";
                var value = random.Next(2) == 0 ? "" : $", \"value\": {{\"amount\": {random.Next(1, 3_000_000)}, \"currency\": \"{(j.Id == "US" ? "USD" : j.Id == "JP" ? "JPY" : "KRW")}\"}}";
                var endUse = random.Next(5) == 0 ? "" : $", \"end_use\": \"{EndUses[random.Next(EndUses.Length)]}\"";
                lines.Add($"{{\"id\": {id}, \"date\": \"{Dates[random.Next(Dates.Length)]}\", \"from\": \"{j.Id}\", \"to\": \"{Destinations[random.Next(Destinations.Length)]}\", \"item\": {classification}{value}{endUse}, \"held\": {held}}}");
            }
        }

        return lines;
    }

    internal static List<CheckedLine> Checked(IShipmentCheck service, IEnumerable<string> lines) =>
        [.. JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)))).Select(service.Check)];

    private static string Written(ResultJson json, CheckedLine line, OutputBuffer buffer)
    {
        buffer.Clear();
        json.Write(line, buffer);
        return Encoding.UTF8.GetString(buffer.Written);
    }

    private static void AssertAgree(ResultJson json, IReadOnlyList<CheckedLine> checkedLines)
    {
        var buffer = OutputBuffer.InMemory();
        // Twice: the first pass builds the forms, the second writes from the forms kept with the determinations.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var line in checkedLines)
            {
                Assert.Equal(Encoding.UTF8.GetString(ResultJson.Plain(line, json.IncludeTrace)) + "\n", Written(json, line, buffer));
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_GeneratedLinesOfEveryRegime_SameBytesAsPlain(bool trace)
    {
        var checkedLines = Checked(new CheckService(Evaluator, EndUserScreening.None), Lines(seed: 13, perJurisdiction: trace ? 600 : 2_000));

        Assert.Contains(checkedLines, l => l.Error is not null);
        Assert.Contains(checkedLines, l => l.Result?.IsCombined == true);
        Assert.Contains(checkedLines, l => l.Result?.CoveredBy is not null);
        Assert.Contains(checkedLines, l => l.Result?.Determination.Grounds.Any(g => g.Kind == Model.RequirementKind.List) == true);
        AssertAgree(new ResultJson(trace), checkedLines);
    }

    /// <summary>Every line written four times by four threads through one writer, each as its plain form.</summary>
    [Fact]
    public void Write_UntracedCheck_SameBytesAsTracedCheck()
    {
        // A check whose determinations carry no trace (clearance check writing JSON or CSV without --trace) answers
        // with one determination per answer, not per outcome: its lines are the traced check's, byte for byte.
        var lines = Lines(seed: 21, perJurisdiction: 2_000);
        var traced = Checked(new CheckService(Evaluator, EndUserScreening.None), lines);
        var untraced = Checked(new CheckService(Evaluator, EndUserScreening.None) { Traced = false }, lines);

        Assert.Contains(untraced, l => l.Result?.IsCombined == true);
        Assert.All(untraced.Where(l => l.Result is not null), l => Assert.Same(Determination.NotTraced, l.Result!.Determination.Trace));
        Assert.True(Distinct(untraced) < Distinct(traced), $"{Distinct(untraced)} untraced determinations, {Distinct(traced)} traced");
        Assert.Equal(AllWritten(new ResultJson(false), traced), AllWritten(new ResultJson(false), untraced));
        AssertAgree(new ResultJson(false), untraced);
        Assert.Equal(Csv(traced), Csv(untraced));

        static int Distinct(List<CheckedLine> checkedLines) =>
            checkedLines.Where(l => l.Result is not null).SelectMany(l => l.Result!.Regimes).Select(r => r.Determination).Distinct(ReferenceEqualityComparer.Instance).Count();

        static string AllWritten(ResultJson json, List<CheckedLine> checkedLines)
        {
            var buffer = OutputBuffer.InMemory();
            return string.Concat(checkedLines.Select(line => Written(json, line, buffer)));
        }

        static string Csv(List<CheckedLine> checkedLines)
        {
            using var text = new StringWriter();
            ResultCsv.Write(checkedLines, text);
            return text.ToString();
        }
    }

    private static void AssertAgreeFromFourThreads(ResultJson json, IReadOnlyList<CheckedLine> checkedLines, bool trace = false)
    {
        var expected = checkedLines.Select(l => Encoding.UTF8.GetString(ResultJson.Plain(l, trace)) + "\n").ToList();
        var written = new string[checkedLines.Count * 4];

        Parallel.For(0, written.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, () => OutputBuffer.InMemory(), (i, _, buffer) =>
        {
            written[i] = Written(json, checkedLines[i % checkedLines.Count], buffer);
            return buffer;
        }, _ => { });

        for (var i = 0; i < written.Length; i++)
        {
            Assert.Equal(expected[i % checkedLines.Count], written[i]);
        }
    }

    [Fact]
    public void Write_ManyThreadsOneWriter_SameBytesAsPlain()
    {
        var checkedLines = Checked(new CheckService(Evaluator, EndUserScreening.None), Lines(seed: 2, perJurisdiction: 1_000));
        var json = new ResultJson(false);
        AssertAgreeFromFourThreads(json, checkedLines);
    }

    [Fact]
    public void Write_ManyThreadsOneTracingWriter_SameBytesAsPlain()
    {
        // With --trace a determination's slot holds the form of one item at a time: threads writing lines of the same
        // determination for other items replace each other's form there, and each line must still be its own item's.
        var checkedLines = Checked(new CheckService(Evaluator, EndUserScreening.None), Lines(seed: 6, perJurisdiction: 500));
        Assert.Contains(checkedLines.Where(l => l.Result is not null).GroupBy(l => l.Result!.Determination, ReferenceEqualityComparer.Instance), g => g.Select(l => l.Result!.ItemIndex).Distinct().Count() > 1);

        AssertAgreeFromFourThreads(new ResultJson(true), checkedLines, trace: true);
    }

    [Fact]
    public void Write_TwoWritersTakeTurnsLineByLine_EachSameBytesAsPlain()
    {
        // A compact and a --trace writer over the same lines, one line each in turn: each finds the other's form kept
        // with the determination (Determination.WriterSlot) and must write its own; the --trace writer also finds its
        // own form of the determination for another item there.
        var checkedLines = Checked(new CheckService(Evaluator, EndUserScreening.None), Lines(seed: 7, perJurisdiction: 400));
        var compact = new ResultJson(false);
        var traced = new ResultJson(true);
        var buffer = OutputBuffer.InMemory();

        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var line in checkedLines)
            {
                Assert.Equal(Encoding.UTF8.GetString(ResultJson.Plain(line, false)) + "\n", Written(compact, line, buffer));
                Assert.Equal(Encoding.UTF8.GetString(ResultJson.Plain(line, true)) + "\n", Written(traced, line, buffer));
            }
        }

        Assert.Contains(checkedLines.Where(l => l.Result is not null).GroupBy(l => l.Result!.Determination, ReferenceEqualityComparer.Instance), g => g.Select(l => l.Result!.ItemIndex).Distinct().Count() > 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_EndUsersAndConsigneesOnLists_SameBytesAsPlain(bool trace)
    {
        var service = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(lists.Index)));
        string[] parties = ["Huawei Technologies Co., Ltd.", "Mahan Air General Trading LLC", "Beihang University", "Example Co., Ltd."];
        var lines = new List<string>();
        foreach (var (from, item) in new[] { ("JP", "JP:16"), ("JP", "JP:3(1)"), ("KR", "KR:NS"), ("US", "US:3A001.a.1"), ("US", "US:EAR99") })
        {
            foreach (var to in new[] { "CN", "AE", "RU" })
            {
                for (var p = 0; p < parties.Length; p++)
                {
                    lines.Add($"{{\"id\": \"{from}-{to}-{p}\", \"date\": \"2024-01-01\", \"from\": \"{from}\", \"to\": \"{to}\", \"item\": \"{item}\", \"end_use\": \"civil\", \"end_user\": \"{parties[p]}\", \"consignee\": \"{parties[(p + 1) % parties.Length]}\"}}");
                }
            }
        }

        var checkedLines = Checked(service, lines);

        Assert.Contains(checkedLines, l => l.Result?.EndUser.Matches.Count > 0);
        AssertAgree(new ResultJson(trace), checkedLines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Check_ResultsSharedAcrossLines_EqualToEachLineCheckedAlone(bool traced)
    {
        // A line's regime result is found among those of earlier lines with the same members (CheckService.Shared):
        // each line's result must be the one a service that has checked nothing else gives it, over every regime, held
        // licences, combined answers, lines in error, end users and consignees on the lists; in input order, and again
        // once every slot is taken.
        var screening = new EndUserScreening(new Lazy<ScreeningIndex?>(lists.Index));
        string[] parties = ["Huawei Technologies Co., Ltd.", "Beihang University", "Example Co., Ltd."];
        var json = Lines(seed: 31, perJurisdiction: 150);
        json.AddRange(json.Take(120).Select((line, i) => line.Replace("\"held\"", $"\"end_user\": \"{parties[i % 3]}\", \"consignee\": \"{parties[(i + 1) % 3]}\", \"held\"", StringComparison.Ordinal)));
        var read = JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', json)))).ToList();
        var service = new CheckService(Evaluator, screening) { Traced = traced };

        var first = read.Select(service.Check).ToList();
        var again = read.Select(service.Check).ToList();

        for (var i = 0; i < read.Count; i++)
        {
            var alone = new CheckService(Evaluator, screening) { Traced = traced }.Check(read[i]);
            foreach (var line in new[] { first[i], again[i] })
            {
                // Each regime's result by value (the record's members); the combined answer, built per service, as written.
                Assert.Equal(alone.Error, line.Error);
                Assert.Equal(alone.Result?.Regimes, line.Result?.Regimes);
                Assert.Equal(alone.Result?.CoveredBy, line.Result?.CoveredBy);
                Assert.Equal(Encoding.UTF8.GetString(ResultJson.Plain(alone, traced)), Encoding.UTF8.GetString(ResultJson.Plain(line, traced)));
            }
        }

        var results = first.Where(l => l.Result is not null).Select(l => l.Result!).ToList();
        Assert.Contains(results, r => r.EndUser.Matches.Count > 0);
        Assert.Contains(results, r => r.IsCombined);
        Assert.True(results.Select(r => r.Primary).Distinct(ReferenceEqualityComparer.Instance).Count() < results.Count, "no result shared");
    }
}
