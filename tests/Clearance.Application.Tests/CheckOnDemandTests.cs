using System.Text;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Application.Tests;

/// <summary>The check with the content compiled as its lines need it: the same output as with the whole content.</summary>
public sealed class CheckOnDemandTests
{
    private static readonly IReadOnlyList<(string Name, string Text)> Files = ContentLoader.BuiltInFiles();
    private static readonly CheckService WholeContent = new(new Evaluator(ContentLoader.Load(Files)), EndUserScreening.None);

    private const string Japanese = """{"id": "jp", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil", "held": ["individual"]}""";
    private const string Korean = """{"id": "kr", "date": "2021-07-04", "from": "KR", "to": "CN", "item": "KR:3C002", "end_use": "civil", "held": ["Individual"]}""";
    private const string UsItemFromJapan = """{"id": "jp-us", "date": "2024-05-06", "from": "JP", "to": "CN", "item": ["JP:16", "US:3B993"], "end_use": "civil"}""";

    /// <summary>A check on demand, and the jurisdictions of each evaluator it had compiled, in order.</summary>
    private static (CheckOnDemand Check, List<string> Compiled) OnDemand()
    {
        var compiled = new List<string>();
        var content = new ContentOnDemand(Files, evaluator =>
        {
            compiled.Add(string.Join(",", evaluator.Content.Jurisdictions.Select(j => j.Id)));
            return new CheckService(evaluator, EndUserScreening.None);
        });
        return (new CheckOnDemand(content), compiled);
    }

    private static List<ShipmentLine> Lines(params string[] json) =>
        [.. JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", json) + "\n")))];

    private static string Output(IShipmentCheck check, IEnumerable<ShipmentLine> lines)
    {
        var output = new MemoryStream();
        CheckBatch.Run(check, new ResultJson(false), lines, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Sized_JapaneseAndKoreanLines_TheirRegimesCompiledOnce_OutputAsWithTheWholeContent()
    {
        var (check, compiled) = OnDemand();
        var lines = Lines(Japanese, Korean, Japanese);

        var output = Output(check, check.Sized(lines));

        Assert.Equal(Output(WholeContent, lines), output);
        Assert.Equal(["JP,KR"], compiled);
        Assert.Equal(["JP", "KR"], check.LoadedJurisdictions);
        Assert.Contains(WholeContent.Evaluator.Content.Version, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LinesOfFurtherRegimesLater_EachAddedWhenFirstNeeded_OutputAsWithTheWholeContent()
    {
        var (check, compiled) = OnDemand();
        var lines = Lines(Japanese, UsItemFromJapan, Japanese, Korean, UsItemFromJapan);

        var output = Output(check, lines);

        Assert.Equal(Output(WholeContent, lines), output);
        // The third is every jurisdiction: the whole content, which later lines are checked with.
        Assert.Equal(["JP", "JP,US", "JP,KR,US"], compiled);
        Assert.Equal(["JP", "KR", "US"], check.LoadedJurisdictions);
    }

    [Fact]
    public void Check_LinesInErrorUnderPartOfTheContent_CheckedWithTheWholeContent()
    {
        var (check, compiled) = OnDemand();
        var lines = Lines(
            Japanese,
            // A US licence exception held for a Japanese export: unknown to Japan's content alone, a licence id of the whole.
            """{"id": "lvs", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "held": ["lvs"]}""",
            """{"id": "fr", "date": "2021-07-04", "from": "FR", "to": "CN", "item": "JP:3(1)"}""",
            """{"id": "xx", "date": "2021-07-04", "from": "JP", "to": "CN", "item": "XX:1"}""");

        var output = Output(check, check.Sized(lines));

        Assert.Equal(Output(WholeContent, lines), output);
        Assert.Contains("\"id\":\"lvs\",\"as_of\"", output, StringComparison.Ordinal); // answered, not in error
        Assert.Contains("(regimes: JP, KR, US)", output, StringComparison.Ordinal);
        Assert.Equal(["JP", "JP,KR,US"], compiled);
        Assert.Equal(["JP"], check.LoadedJurisdictions); // the lines answered keep the part already compiled
    }

    [Fact]
    public void Check_UnreadableLinesOnly_NothingCompiled()
    {
        var (check, compiled) = OnDemand();
        var lines = Lines("not json", """{"id": "x", "from": "JP"}""");

        var output = Output(check, check.Sized(lines));

        Assert.Equal(Output(WholeContent, lines), output);
        Assert.Empty(compiled);
    }

    [Fact]
    public void Sized_InputFailsInTheFirstChunk_LinesBeforeItThenTheError()
    {
        var (check, _) = OnDemand();
        static IEnumerable<ShipmentLine> Failing()
        {
            foreach (var line in Lines(Japanese, Korean))
            {
                yield return line;
            }

            throw new InputEncodingException("byte 0xFF is not valid", new FormatException());
        }

        var seen = new List<string?>();
        var error = Assert.Throws<InputEncodingException>(() =>
        {
            foreach (var line in check.Sized(Failing()))
            {
                seen.Add(check.Check(line).Result?.Shipment.Id?.Text);
            }
        });

        Assert.Equal(["jp", "kr"], seen);
        Assert.Equal("byte 0xFF is not valid", error.Message);
    }

    [Fact]
    public void BuiltInContent_LicenceIdsOfDifferentRegimesEqualIgnoringCase_SpelledAlike()
    {
        // A held id is spelled as the first regime in content order that has it (any case): with only some regimes
        // compiled, another regime could come first. The on-demand check answers as the whole content only while ids
        // equal but for case are spelled alike in every regime, which this keeps true of the content.
        var ids = WholeContent.Evaluator.Content.Jurisdictions.SelectMany(j => j.Licenses.Select(l => l.Id)).Distinct(StringComparer.Ordinal);

        Assert.Empty(ids.GroupBy(id => id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join("/", g)));
    }

    [Fact]
    public void Check_ManyDistinctCombinedAnswers_AtMostTwoGenerationsKept_SameOutput()
    {
        var bounded = new CheckService(WholeContent.Evaluator, EndUserScreening.None, combinedCapacity: 2);
        var unbounded = new CheckService(WholeContent.Evaluator, EndUserScreening.None);
        string[] destinations = ["CN", "RU", "KR", "DE", "IR", "KP", "AE", "IN", "BR", "SG", "TW", "VN"];
        var lines = Lines([.. destinations.Select(to => $$"""{"id": "{{to}}", "date": "2025-01-20", "from": "JP", "to": "{{to}}", "item": ["JP:7(19)", "US:3B993"], "end_use": "civil"}""")]);

        var counts = new List<int>();
        foreach (var line in lines)
        {
            var first = bounded.Check(line).Result!.Determination;
            counts.Add(bounded.CombinedCount);
            Assert.Same(first, bounded.Check(line).Result!.Determination); // shared while in use
        }

        Assert.Equal(Output(unbounded, lines), Output(bounded, lines));
        Assert.True(unbounded.CombinedCount > 4, $"{unbounded.CombinedCount} distinct combined answers: too few to show the bound");
        Assert.All(counts, count => Assert.InRange(count, 1, 4));
    }

    [Fact]
    public void Check_ContentFromItsSnapshot_ColdThenWarm_TracedOutputAsWithTheWholeContent()
    {
        // Lines over every jurisdiction's items (a seeded sample of the EAR's), destinations, dates around the changes,
        // end uses and held licences, written with their trace: every rule, citation and source line the model holds
        // shows in some answer, so a model read back differently from the YAML's would show here.
        var random = new Random(20261203);
        string[] destinations = ["KR", "JP", "CN", "HK", "RU", "BY", "IR", "KP", "SY", "CU", "DE", "GB", "IN", "AE", "VN", "US", "UA"];
        string[] dates = ["2019-07-04", "2020-06-30", "2022-02-24", "2022-10-07", "2023-11-17", "2024-12-02", "2025-01-15", "2026-07-23"];
        string[] endUses = ["civil", "wmd", "conventional-military", "unknown"];
        var json = new List<string>();
        foreach (var j in WholeContent.Evaluator.Content.Jurisdictions)
        {
            var exporter = j.Id == "US" ? "JP" : j.Id;
            for (var n = 0; n < 150; n++)
            {
                var item = j.Items[random.Next(j.Items.Count)].Code;
                var held = j.Licenses[random.Next(j.Licenses.Count)].Id;
                json.Add($$"""{"id": "{{j.Id}}-{{n}}", "date": "{{dates[random.Next(dates.Length)]}}", "from": "{{(random.Next(2) == 0 ? exporter : "US")}}", "to": "{{destinations[random.Next(destinations.Length)]}}", "item": "{{j.Id}}:{{item}}", "end_use": "{{endUses[random.Next(endUses.Length)]}}", "held": ["{{held}}"]}""");
            }
        }

        var lines = Lines([.. json]);
        var cache = Directory.CreateTempSubdirectory("clearance-snapshot-");
        try
        {
            string Traced(IShipmentCheck check)
            {
                var output = new MemoryStream();
                CheckBatch.Run(check, new ResultJson(true), check is CheckOnDemand onDemand ? onDemand.Sized(lines) : lines, output);
                return Encoding.UTF8.GetString(output.ToArray());
            }

            CheckOnDemand FromCache() => new(new ContentOnDemand(Files, evaluator => new CheckService(evaluator, EndUserScreening.None), cache: cache.FullName));
            var expected = Traced(WholeContent);

            var cold = Traced(FromCache());
            var kept = Directory.EnumerateFiles(cache.FullName, "*.bin", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            var warm = Traced(FromCache());

            Assert.Equal(["heads.bin", "jurisdiction-JP.bin", "jurisdiction-KR.bin", "jurisdiction-US.bin"], kept);
            Assert.Equal(expected, cold);
            Assert.Equal(expected, warm);
            Assert.Contains("\"trace\"", warm, StringComparison.Ordinal);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }
}
