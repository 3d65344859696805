using Clearance.Content.Ear;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Tests;

/// <summary>A fact that needs the EAR reference data beside the repository (../shared/reference/us-ear); skipped, saying so, without it.</summary>
public sealed class EarReferenceFactAttribute : FactAttribute
{
    /// <summary>Skips the test when the reference directory is missing.</summary>
    public EarReferenceFactAttribute()
    {
        if (EarReference.Directory is null)
        {
            Skip = "the EAR reference data (../shared/reference/us-ear beside the repository) is not on this machine: the generated CCL cannot be compared with a fresh generation";
        }
    }
}

/// <summary>Where the repository and the EAR reference data are.</summary>
internal static class EarReference
{
    public static string Repository { get; } = FindRepository();

    public static string? Directory { get; } = Path.Combine(Repository, "..", "shared", "reference", "us-ear") is var dir && System.IO.Directory.Exists(dir) ? dir : null;

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Clearance.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Clearance.slnx not found above the test directory");
    }
}

/// <summary>
/// The US EAR's Commerce Control List content (us-ccl.generated.yaml and us.yaml): generation, agreement of the two
/// evaluators on every ECCN, and hand-written cases with their citations. Data as of the eCFR of 2026-07-23.
/// </summary>
public sealed class EarTests
{
    private static readonly Jurisdiction Us = Engine.Content.Find("US")!;

    /// <summary>The EAR's restricted-party facts (us-measures.yaml), stated clear: these cases are about the control list.</summary>
    internal static readonly IReadOnlyDictionary<string, string> ClearParties = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["us_entity_list"] = "false", ["us_denied_person"] = "false", ["us_military_end_user_list"] = "false", ["us_unverified_list"] = "false",
    };

    private static Determination Check(string item, string to, string date = "2026-08-01", string? value = null)
    {
        var (facts, jurisdiction) = Engine.Facts(item, to, date);
        facts = facts with { Declared = ClearParties };
        if (value is not null)
        {
            Assert.True(Amount.TryParse(value, out var amount));
            facts = facts with { Value = amount };
        }

        return jurisdiction.Evaluate(facts);
    }

    private static string[] Grounds(Determination d) => [.. d.Grounds.Select(g => g.Rule)];

    [EarReferenceFact]
    public void Generate_FromTheReferenceData_IsTheCommittedFileByteForByte()
    {
        var generated = EarGenerator.Generate(EarReference.Directory!);
        var committed = File.ReadAllText(Path.Combine(EarReference.Repository, "src", "Clearance.Content", "Rules", "us-ccl.generated.yaml"));

        Assert.True(generated == committed, "src/Clearance.Content/Rules/us-ccl.generated.yaml differs from a fresh generation: run `clearance content generate-ear --reference ../shared/reference/us-ear --output src/Clearance.Content/Rules/us-ccl.generated.yaml`");
        Assert.Equal(generated, EarGenerator.Generate(EarReference.Directory!));
    }

    [Fact]
    public void Content_GeneratedCitations_NameTheProvisionNotTheFileAndTheEcfrDayOnce()
    {
        // Counsel's form (issue 13): no data file in a citation; the eCFR day once, with the ECCN where a ground cites the
        // requirement and then the item; every generated element's source the dated eCFR address it was read from.
        static bool Generated(SourceRef source) => source.File.EndsWith("us-ccl.generated.yaml", StringComparison.Ordinal);
        static int Days(string text) => text.Split("eCFR 2026-07-23").Length - 1;
        var elements = Us.Items.Where(i => Generated(i.Source)).Select(i => (i.Code, i.Citation))
            .Concat(Us.Sets.Where(s => Generated(s.Source)).Select(s => (s.Id, s.Citation)))
            .Concat(Us.Requirements.Where(r => Generated(r.Source)).Select(r => (r.Id, r.Citation)))
            .Concat(Us.Licenses.Where(l => Generated(l.Source)).Select(l => (l.Id, l.Citation)))
            .Concat(Us.Scope.Where(s => Generated(s.Source)).Select(s => (s.Id, s.Citation)))
            .ToList();

        Assert.True(elements.Count > 3000, $"{elements.Count} generated elements");
        foreach (var (id, citation) in elements)
        {
            Assert.DoesNotContain(".json", citation.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("C.F.R.", citation.Text, StringComparison.Ordinal);
            Assert.True(citation.Url is not null, $"{id} has no source");
            // A list requirement's ground is followed by the item's citation, which carries the day; an element read from
            // the eCFR carries it once (a gap a Federal Register rule dates cites that rule only).
            var fromEcfr = citation.Url!.Contains("ecfr.gov", StringComparison.Ordinal);
            var listRequirement = Us.Requirements.Any(r => r.Id == id && r.Kind == RequirementKind.List);
            Assert.True(Days(citation.Text) == (listRequirement || !fromEcfr ? 0 : 1), $"{id}: {citation.Text}");
            Assert.True(!fromEcfr || citation.Url.Contains("/2026-07-23/", StringComparison.Ordinal), $"{id}: {citation.Url}");
        }

        var ns2 = Us.Requirements.Single(r => r.Id == "us.ccl.NS2").Citation;
        Assert.Equal("15 CFR 738.4(a)(2); 15 CFR 738 Supp. 1 (Commerce Country Chart), column NS2", ns2.Text);
        Assert.Equal("https://www.ecfr.gov/api/versioner/v1/full/2026-07-23/title-15.xml?part=738", ns2.Url);
        Assert.Equal("15 CFR 774 Supp. 1, ECCN 7A611 (eCFR 2026-07-23)", Us.FindItem("7A611.a")!.Citation.Text);
        // The rule a dated text is from is named once for the columns it wrote.
        Assert.Equal("15 CFR 774 Supp. 1, ECCN 2B910 (eCFR 2026-07-23); NS-WW and RS-WW in the text of 89 FR 72926 (effective 6 Sep 2024)", Us.FindItem("2B910")!.Citation.Text);
    }

    [Fact]
    public void Generate_MissingReferenceFile_SaysWhichFile()
    {
        var empty = System.IO.Directory.CreateTempSubdirectory("ear-");
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => EarGenerator.Generate(empty.FullName));

            Assert.Contains("ccl.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(true);
        }
    }

    [Fact]
    public void Content_EveryEccnOfTheReference_IsAnItem()
    {
        // 633 entries in ccl.json (five further ECCNs are folded into the entry before them by the parse).
        Assert.Equal(633, Us.Items.Count(i => i.Parent is null && i.Code != "EAR99"));
        Assert.NotNull(Us.FindItem("3A001.b.2"));
        Assert.Equal("3A001.b", Us.FindItem("3A001.b.2")!.Parent);
    }

    [Fact]
    public void Compute_EveryEccnToSixtyDestinations_CompiledAgreesWithReference()
    {
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var random = new Random(7382019);
        // The coverage start, the eCFR date, the review date, and the day before and the day of each dated change to the
        // generated text (CclTextDates) and to what us-measures.yaml authors before it.
        var dates = new[]
        {
            new LocalDate(2019, 1, 1), new LocalDate(2026, 7, 22), new LocalDate(2026, 7, 23), new LocalDate(2026, 12, 2),
            new LocalDate(2022, 10, 6), new LocalDate(2022, 10, 7), new LocalDate(2023, 1, 17), new LocalDate(2023, 1, 18),
            new LocalDate(2023, 11, 16), new LocalDate(2023, 11, 17), new LocalDate(2024, 9, 5), new LocalDate(2024, 9, 6),
            new LocalDate(2024, 12, 1), new LocalDate(2024, 12, 2), new LocalDate(2025, 1, 12), new LocalDate(2025, 1, 13),
        };
        var roots = Enumerable.Range(0, Us.Items.Count).Where(i => Us.Items[i].Parent is null).ToArray();
        // The destinations every rule singles out, then others drawn with the seed: the reference evaluator is slow by
        // design, and every destination for every ECCN would take minutes on the test machine.
        var named = new[] { "CN", "HK", "MO", "RU", "VE", "AE", "IL", "BR", "CA", "JP", "KR", "TW", "IQ", "PK", "KP", "CU", "IR", "SY", "BY", "GL", "LI", "US", "DE", "IN", "SG" }
            .Select(CountryCode.Parse);
        var destinations = named.Concat(CountryCode.All.OrderBy(_ => random.Next()).Take(35)).Distinct().ToArray();
        foreach (var item in roots)
        {
            foreach (var country in destinations)
            {
                var facts = Facts(random, item, country, dates[random.Next(dates.Length)]);
                Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, compiled.Compute(facts).Code);
            }
        }

        // Every paragraph, to destinations drawn with a fixed seed.
        for (var item = 0; item < Us.Items.Count; item++)
        {
            for (var k = 0; k < 3; k++)
            {
                var facts = Facts(random, item, CountryCode.All[random.Next(CountryCode.Count)], dates[random.Next(dates.Length)]);
                Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, compiled.Compute(facts).Code);
            }
        }
    }

    /// <summary>A US line for the agreement tests: value in USD (LVS), none, or in yen; end use, catch-all knowledge and the end user's screening state drawn with the seed.</summary>
    internal static ShipmentFacts Facts(Random random, int item, CountryCode country, LocalDate date) =>
        new(date, item, country, (EndUse)random.Next(4), random.Next(2) == 0, (EndUserStatus)random.Next(5))
        {
            Value = random.Next(3) switch { 0 => null, 1 => new Amount(random.Next(0, 12_000), "USD"), _ => new Amount(random.Next(0, 1_000_000), "JPY") },
        };

    // ---- reasons for control and their columns (15 CFR 738.4(a)(2)) ---------------------------------------------------

    [Fact]
    public void Check_Ns2ItemToBrazil_LicenceRequiredForNationalSecurity()
    {
        // 2B003 (NS2, AT1) to Brazil: NS column 2 has an X for Brazil (738 Supp. 1).
        var d = Check("US:2B003", "BR");

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.Equal(["us.ccl.NS2"], Grounds(d));
        Assert.Contains("license", d.EligibleLicenses);
        Assert.Equal(90, d.ReviewDays);
    }

    [Fact]
    public void Check_Ns2ItemToJapan_NoXNoLicence()
    {
        // Japan has no X in NS column 2 (738 Supp. 1): no licence for that reason.
        Assert.Equal(Verdict.NoLicenseRequired, Check("US:2B003", "JP").Verdict);
    }

    [Fact]
    public void Check_HongKong_AnsweredOnChinasRow()
    {
        // 85 FR 83788: Hong Kong has no row; China's governs it.
        var china = Check("US:2B003", "CN");
        var hongKong = Check("US:2B003", "HK");

        Assert.Equal(["us.ccl.NS2"], Grounds(china));
        Assert.Equal(Grounds(china), Grounds(hongKong));
    }

    [Fact]
    public void Check_DestinationWithoutAChartRow_IndeterminateNamingTheGap()
    {
        // 738.3(b): Greenland has no row and is not a territory the EAR names: not an unrestricted destination.
        var d = Check("US:2B003", "GL");

        Assert.Equal(Verdict.Indeterminate, d.Verdict);
        Assert.Contains(d.MissingFacts, m => m.Contains("no row", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EmbargoedDestination_AnsweredByPart746NotByTheEmptyRow()
    {
        // Cuba's row has no X and points to Part 746: never read as "no licence" (746.2: all items subject to the EAR).
        var d = Check("US:EAR99", "CU");

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.Equal(["us.746.cuba"], Grounds(d));
    }

    [Fact]
    public void Check_Ear99ToChina_NoLicenceFromTheList()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("US:EAR99", "CN").Verdict);
    }

    [Fact]
    public void Check_MacauOrD5Control_MacauYesJapanNo()
    {
        // 3A090.c: RS "to or within Macau or a destination specified in Country Group D:5" (742.6(a)(6)(i)(B)).
        Assert.Equal(["us.ccl.RS-MOD5.since-2024-12-02"], Grounds(Check("US:3A090.c", "MO")));
        Assert.Equal(Verdict.NoLicenseRequired, Check("US:3A090.c", "JP").Verdict);
    }

    [Fact]
    public void Check_WorldwideControl_EvenToCanada()
    {
        // 3A090.a: RS "to or within any destination worldwide" (742.6(a)(6)(iii)(A)), the text of the AI diffusion rule of
        // 13 Jan 2025 (the generated requirement applies from its compliance date, 15 May 2025); us-measures.yaml names that
        // rule as a ground of its own.
        Assert.Equal(["us.ccl.RS-WW.since-2025-05-15", "us.ac.2025.ai-diffusion"], Grounds(Check("US:3A090.a", "CA")));
    }

    [Fact]
    public void Check_ParagraphBelowAControlledParagraph_CoveredByIt()
    {
        // A control on 3A090.a covers 3A090.a.1; the ECCN given alone depends on the paragraph.
        Assert.Equal(["us.ccl.RS-WW.since-2025-05-15", "us.ac.2025.ai-diffusion"], Grounds(Check("US:3A090.a.1", "JP")));
        var whole = Check("US:3A090", "JP");
        Assert.Equal(Verdict.Indeterminate, whole.Verdict);
        Assert.Contains(whole.MissingFacts, m => m.StartsWith("item", StringComparison.Ordinal));
    }

    // ---- the generated text across its dates (CclTextDates; us-measures.yaml us.ac.*) ------------------------------------

    /// <summary>Both evaluators on one line: the compiled answer, after asserting the reference one agrees.</summary>
    private static Determination CheckBoth(string item, string to, string date)
    {
        var (facts, jurisdiction) = Engine.Facts(item, to, date);
        facts = facts with { Declared = ClearParties };
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, compiled.Compute(facts).Code);
        return jurisdiction.Evaluate(facts);
    }

    /// <summary>
    /// 3A090.a, 4A090.a and 3A090.c to Japan, Korea, Germany, China, Macau and the UAE on the day before and the day of
    /// each change: 87 FR 62186 (7 Oct 2022: 3A090/4A090 created, RS to China), 88 FR 2821 (18 Jan 2023: Macau), 88 FR
    /// 73458 (17 Nov 2023: D:1, D:4, D:5 outside A:5/A:6, and Macau; the UAE then in D:4), 89 FR 96790 (2 Dec 2024:
    /// 3A090.c, Macau or D:5), 90 FR 4544 (effective 13 Jan 2025, compliance required from 15 May 2025: .a worldwide, the 2023
    /// requirements until then). "gap:" names the rule that makes it indeterminate.
    /// </summary>
    [Theory]
    [InlineData("3A090.a", "JP", "2022-10-06", "gap:us.ccl.not-listed-before-2022-10-07")]
    [InlineData("3A090.a", "CN", "2022-10-06", "gap:us.ccl.not-listed-before-2022-10-07")]
    [InlineData("3A090.a", "CN", "2022-10-07", "us.ac.2022.china")]
    [InlineData("3A090.a", "JP", "2022-10-07", "")]
    [InlineData("3A090.a", "KR", "2022-10-07", "")]
    [InlineData("3A090.a", "DE", "2022-10-07", "")]
    [InlineData("3A090.a", "AE", "2022-10-07", "")]
    [InlineData("3A090.a", "MO", "2023-01-17", "")]
    [InlineData("3A090.a", "MO", "2023-01-18", "us.ac.2023-01.macau")]
    [InlineData("3A090.a", "JP", "2023-06-01", "")]
    [InlineData("3A090.a", "AE", "2023-11-16", "")]
    [InlineData("3A090.a", "AE", "2023-11-17", "us.ac.2023.uae")]
    [InlineData("3A090.a", "CN", "2023-11-17", "us.ac.2023.d145-macau")]
    [InlineData("3A090.a", "MO", "2023-11-17", "us.ac.2023.d145-macau")]
    [InlineData("3A090.a", "JP", "2023-11-17", "")]
    [InlineData("3A090.a", "KR", "2024-06-01", "")]
    [InlineData("3A090.a", "DE", "2024-12-02", "")]
    [InlineData("3A090.a", "JP", "2025-01-12", "")]
    [InlineData("3A090.a", "JP", "2025-01-13", "")]
    [InlineData("3A090.a", "JP", "2025-05-14", "")]
    [InlineData("3A090.a", "JP", "2025-05-15", "us.ccl.RS-WW.since-2025-05-15")]
    [InlineData("3A090.a", "KR", "2025-05-14", "")]
    [InlineData("3A090.a", "KR", "2025-05-15", "us.ac.2025.ai-diffusion")]
    [InlineData("3A090.a", "DE", "2025-05-14", "")]
    [InlineData("3A090.a", "DE", "2025-05-15", "us.ccl.RS-WW.since-2025-05-15")]
    [InlineData("3A090.a", "CN", "2025-01-13", "us.ac.2023.d145-macau")]
    [InlineData("3A090.a", "CN", "2025-05-14", "us.ac.2023.d145-macau")]
    [InlineData("3A090.a", "CN", "2025-05-15", "us.ccl.RS-WW.since-2025-05-15")]
    [InlineData("3A090.a", "AE", "2025-01-13", "us.ac.2023.uae")]
    [InlineData("3A090.a", "AE", "2025-05-14", "us.ac.2023.uae")]
    [InlineData("3A090.a", "AE", "2025-05-15", "us.ccl.RS-WW.since-2025-05-15")]
    [InlineData("4A090.a", "KR", "2022-10-06", "gap:us.ccl.not-listed-before-2022-10-07")]
    [InlineData("4A090.a", "CN", "2022-10-07", "us.ac.2022.china")]
    [InlineData("4A090.a", "MO", "2023-01-18", "us.ac.2023-01.macau")]
    [InlineData("4A090.a", "KR", "2023-11-17", "")]
    [InlineData("4A090.a", "MO", "2024-12-02", "us.ac.2023.d145-macau")]
    [InlineData("4A090.a", "KR", "2025-01-13", "")]
    [InlineData("4A090.a", "KR", "2025-05-14", "")]
    [InlineData("4A090.a", "KR", "2025-05-15", "us.ccl.RS-WW.since-2025-05-15")]
    [InlineData("3A090.c", "CN", "2023-11-17", "gap:us.ccl.not-listed-before-2024-12-02")]
    [InlineData("3A090.c", "CN", "2024-12-01", "gap:us.ccl.not-listed-before-2024-12-02")]
    [InlineData("3A090.c", "CN", "2024-12-02", "us.ccl.RS-MOD5.since-2024-12-02")]
    [InlineData("3A090.c", "MO", "2024-12-02", "us.ccl.RS-MOD5.since-2024-12-02")]
    [InlineData("3A090.c", "JP", "2024-12-01", "gap:us.ccl.not-listed-before-2024-12-02")]
    [InlineData("3A090.c", "JP", "2024-12-02", "")]
    [InlineData("3A090.c", "KR", "2025-01-13", "")]
    [InlineData("3A090.c", "AE", "2025-01-13", "")]
    public void Check_AdvancedComputingAcrossItsDates_AnswersTheTextOfTheDay(string item, string to, string date, string expected)
    {
        AssertAnswer(CheckBoth("US:" + item, to, date), expected);
    }

    /// <summary>
    /// Semiconductor manufacturing equipment's software and technology and the deep-ultraviolet immersion paragraphs on
    /// the day before and the day of each change: 3D992 and 3E992 carry the "Macau or D:5" NS and RS controls the October
    /// 2023 rule wrote (88 FR 73424, effective 17 Nov 2023), a gap before; their worldwide controls start on 6 Sep 2024
    /// (89 FR 72926) while the older ones keep applying; 3B001.f.6, 3D992.c and 3E992.b (the 1.5 nm halves of the range
    /// the December 2024 rule split with 3B993.f.4, 3D993.e and 3E993.c) did not exist before 2 Dec 2024 (89 FR 96790).
    /// </summary>
    [Theory]
    [InlineData("3D992.a", "CN", "2023-11-16", "gap:us.ccl.controls-before-2023-11-17")]
    [InlineData("3D992.a", "CN", "2023-11-17", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3D992.a", "MO", "2023-11-17", "us.ccl.RS-MOD5.since-2023-11-17")]
    [InlineData("3D992.a", "JP", "2023-11-16", "gap:us.ccl.controls-before-2023-11-17")]
    [InlineData("3D992.a", "JP", "2023-11-17", "")]
    [InlineData("3D992.a", "JP", "2024-09-05", "")]
    [InlineData("3D992.a", "JP", "2024-09-06", "us.ccl.NS-WW.since-2024-09-06")]
    [InlineData("3D992.a", "CN", "2024-09-05", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3D992.a", "CN", "2024-12-01", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3E992.a", "CN", "2023-11-16", "gap:us.ccl.controls-before-2023-11-17")]
    [InlineData("3E992.a", "CN", "2023-11-17", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3E992.a", "DE", "2023-11-17", "")]
    [InlineData("3B001.f.6", "CN", "2023-11-17", "gap:us.ccl.duv-immersion-before-2024-12-02")]
    [InlineData("3B001.f.6", "CN", "2024-12-01", "gap:us.ccl.duv-immersion-before-2024-12-02")]
    [InlineData("3B001.f.6", "CN", "2024-12-02", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3B001.f.6", "JP", "2024-12-01", "gap:us.ccl.duv-immersion-before-2024-12-02")]
    [InlineData("3B001.f.6", "JP", "2024-12-02", "")]
    [InlineData("3B001.f.5", "CN", "2023-11-17", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3D992.c", "CN", "2024-12-01", "gap:us.ccl.duv-immersion-before-2024-12-02")]
    [InlineData("3D992.c", "CN", "2024-12-02", "us.ccl.RS-MOD5.since-2023-11-17")]
    [InlineData("3E992.b", "MO", "2024-12-01", "gap:us.ccl.duv-immersion-before-2024-12-02")]
    [InlineData("3E992.b", "MO", "2024-12-02", "us.ccl.NS-MOD5.since-2023-11-17")]
    [InlineData("3E992.b", "KR", "2024-12-02", "us.ccl.NS-WW.since-2024-09-06")]
    public void Check_SemiconductorEquipmentSoftwareAndDuvParagraphs_AnswersTheTextOfTheDay(string item, string to, string date, string expected)
    {
        AssertAnswer(CheckBoth("US:" + item, to, date), expected);
    }

    /// <summary>
    /// The semiconductor manufacturing equipment end use of 744.23(a)(4) on the day before and the day of each change:
    /// (i) any item on the CCL to Macau or Country Group D:5 for the development or production of such equipment, from the
    /// SME rule's restatement of 744.23 (88 FR 73424, effective 17 Nov 2023); (ii) any item on the CCL, anywhere, for such
    /// development or production by an entity headquartered in Macau or D:5, from 89 FR 96790 (effective 2 Dec 2024).
    /// Rows: item, destination, date, the fact stated true ("" none), and the ground expected ("" no licence required).
    /// </summary>
    [Theory]
    [InlineData("4A994", "CN", "2023-11-16", "us_sme_production_end_use", "")]
    [InlineData("4A994", "CN", "2023-11-17", "us_sme_production_end_use", "us.744-23.sme-production-macau-d5")]
    [InlineData("4A994", "MO", "2023-11-17", "us_sme_production_end_use", "us.744-23.sme-production-macau-d5")]
    [InlineData("4A994", "CN", "2023-11-17", "", "")]
    [InlineData("4A994", "JP", "2023-11-17", "us_sme_production_end_use", "")]
    [InlineData("EAR99", "CN", "2023-11-17", "us_sme_production_end_use", "")]
    [InlineData("4A994", "JP", "2024-12-01", "us_sme_production_by_macau_d5_headquartered", "")]
    [InlineData("4A994", "JP", "2024-12-02", "us_sme_production_by_macau_d5_headquartered", "us.744-23.sme-production-by-macau-d5-headquartered")]
    [InlineData("3B001.f.5", "DE", "2024-12-02", "us_sme_production_by_macau_d5_headquartered", "us.744-23.sme-production-by-macau-d5-headquartered")]
    [InlineData("EAR99", "JP", "2024-12-02", "us_sme_production_by_macau_d5_headquartered", "")]
    public void Check_SemiconductorEquipmentEndUse_FromItsRules(string item, string to, string date, string known, string expected)
    {
        var (facts, _) = Engine.Facts("US:" + item, to, date);
        var declared = new Dictionary<string, string>(ClearParties, StringComparer.Ordinal);
        if (known.Length > 0)
        {
            declared[known] = "true";
        }

        facts = facts with { Declared = declared };
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, compiled.Compute(facts).Code);
        var d = compiled.Evaluate(facts);

        if (expected.Length == 0)
        {
            Assert.DoesNotContain(Grounds(d), g => g.StartsWith("us.744-23.sme-production", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(Verdict.LicenseRequired, d.Verdict);
            Assert.Contains(expected, Grounds(d));
            Assert.DoesNotContain("LVS", d.EligibleLicenses);
        }
    }

    /// <summary>
    /// The answer a dated case expects: "" no licence required; "gap:" and a rule id, indeterminate through that gap;
    /// otherwise a licence required with a ground whose rule id starts with <paramref name="expected"/>.
    /// </summary>
    internal static void AssertAnswer(Determination d, string expected)
    {
        if (expected.Length == 0)
        {
            Assert.Equal(Verdict.NoLicenseRequired, d.Verdict);
        }
        else if (expected.StartsWith("gap:", StringComparison.Ordinal))
        {
            Assert.Equal(Verdict.Indeterminate, d.Verdict);
            Assert.Contains(d.Trace, t => t.Rule == expected[4..]);
        }
        else
        {
            Assert.Equal(Verdict.LicenseRequired, d.Verdict);
            Assert.Contains(Grounds(d), g => g.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// 3B993, 3B994 and their software and technology (89 FR 96790, effective 2 Dec 2024): RS "see 742.6(a)(11)", a licence
    /// where a Footnote 5 entity of the Entity List is a party, to any destination; before the day the entries did not
    /// exist. Rows: item, destination, re-exported from (or "" for an export from the United States), date, whether the
    /// party is on the Entity List and designated with Footnote 5 ("" not given), and the answer ("gap:" the rule that
    /// makes it indeterminate, "maybe:" the rule that may also apply beside the Entity List's licence, a ground, or "" for no
    /// licence required).
    /// </summary>
    [Theory]
    [InlineData("3B993.c.1", "CN", "", "2024-12-01", "false", "", "gap:us.ccl.not-listed-before-2024-12-02")]
    [InlineData("3B993.c.1", "CN", "", "2024-12-02", "false", "", "")]
    [InlineData("3B993.c.1", "CN", "", "2024-12-02", "true", "true", "us.ccl.RS-FN5.since-2024-12-02")]
    [InlineData("3B993.c.1", "CN", "", "2024-12-02", "true", "", "maybe:us.ccl.RS-FN5.since-2024-12-02")]
    [InlineData("3B993.c.1", "CN", "", "2024-12-02", "true", "false", "us.entity-list")]
    [InlineData("3B993", "KR", "JP", "2024-12-01", "false", "", "gap:us.ccl.not-listed-before-2024-12-02")]
    [InlineData("3B993", "KR", "JP", "2024-12-02", "false", "", "")]
    [InlineData("3B993", "CN", "JP", "2025-06-01", "true", "true", "us.ccl.RS-FN5.since-2024-12-02")]
    [InlineData("3B994.b", "CN", "KR", "2024-12-02", "true", "true", "us.ccl.RS-FN5.since-2024-12-02")]
    [InlineData("3D993", "SG", "", "2024-12-01", "false", "", "gap:us.ccl.not-listed-before-2024-12-02")]
    [InlineData("3D993", "SG", "", "2024-12-02", "true", "true", "us.ccl.RS-FN5.since-2024-12-02")]
    [InlineData("3E993", "DE", "", "2026-08-01", "false", "", "")]
    [InlineData("3E994", "CN", "", "2026-08-01", "true", "true", "us.ccl.RS-FN5.since-2024-12-02")]
    public void Check_FootnoteFiveEntries_LicenceWhereAFootnote5PartyIs_NotListedBefore2Dec2024(string item, string to, string from, string date, string entityList, string footnote5, string expected)
    {
        var (facts, _) = Engine.Facts("US:" + item, to, date);
        var declared = new Dictionary<string, string>(ClearParties, StringComparer.Ordinal) { ["us_entity_list"] = entityList };
        if (footnote5.Length > 0)
        {
            declared["us_footnote_5_party"] = footnote5;
        }

        facts = facts with { Declared = declared, From = from.Length > 0 ? CountryCode.Parse(from) : null };
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, compiled.Compute(facts).Code);
        var d = compiled.Evaluate(facts);

        if (expected.StartsWith("maybe:", StringComparison.Ordinal))
        {
            // The Entity List requires a licence already; the RS ground of 742.6(a)(11) is traced as one that may apply.
            Assert.Equal(Verdict.LicenseRequired, d.Verdict);
            Assert.Contains("us.entity-list", Grounds(d));
            Assert.DoesNotContain(expected[6..], Grounds(d));
            Assert.Contains(d.Trace, t => t.Rule == expected[6..]);
        }
        else
        {
            AssertAnswer(d, expected);
        }

        if (expected.StartsWith("us.ccl.RS-FN5", StringComparison.Ordinal))
        {
            Assert.Contains(d.Unconfirmed, u => u.Contains("742.6(a)(11)", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(d.Trace, t => t.Rule == "us.ccl.control-not-modelled");
    }

    [Fact]
    public void Check_ZParagraphBeforeTheOctober2023Rule_DidNotExist()
    {
        // 4A003.z (computers also meeting 4A090) was added by 88 FR 73458, effective 17 Nov 2023: a gap the day before; from
        // the day, 4A003.z.1.b needs an RS licence to China (D:1, D:4, D:5 outside A:5/A:6), not to Japan.
        var before = CheckBoth("US:4A003.z.1.b", "JP", "2023-11-16");
        Assert.Equal(Verdict.Indeterminate, before.Verdict);
        Assert.Contains(before.MissingFacts, m => m.Contains("did not exist before 17 Nov 2023", StringComparison.Ordinal));
        Assert.Contains("us.ccl.RS-D145.since-2023-11-17", Grounds(CheckBoth("US:4A003.z.1.b", "CN", "2023-11-17")));
        Assert.DoesNotContain("us.ccl.RS-D145.since-2023-11-17", Grounds(CheckBoth("US:4A003.z.1.b", "JP", "2023-11-17")));
    }

    [Fact]
    public void Check_WorldwideControlsOfSeptember2024_NewEntryIsIndeterminateBefore_OlderEntryKeepsItsOtherControls()
    {
        // 89 FR 72926 (effective 6 Sep 2024) added the worldwide NS and RS requirements of 742.4(a)(5) and 742.6(a)(10):
        // 4A906 (quantum computers) has no other control: indeterminate before, a licence to Japan from the day.
        Assert.Equal(Verdict.Indeterminate, CheckBoth("US:4A906", "JP", "2024-09-05").Verdict);
        Assert.Equal(["us.ccl.NS-WW.since-2024-09-06", "us.ccl.RS-WW.since-2024-09-06"], Grounds(CheckBoth("US:4A906", "JP", "2024-09-06")));
        // 3D002 had its NS1 control before: it stands on the day before, without the worldwide requirements.
        Assert.Equal(["us.ccl.NS1"], Grounds(CheckBoth("US:3D002", "BR", "2024-09-05")));
    }

    [Fact]
    public void Check_EncryptionItem_EiAllButCanada()
    {
        // 5A002: EI (742.15) to every destination but Canada.
        Assert.Contains("us.ccl.EI-XCA", Grounds(Check("US:5A002", "DE")));
        Assert.DoesNotContain("us.ccl.EI-XCA", Grounds(Check("US:5A002", "CA")));
    }

    // ---- licence exceptions ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("5000 USD", true)]
    [InlineData("5000.01 USD", false)]
    [InlineData("4999.99 USD", true)]
    public void Check_LvsValueLimit_UpToTheEccnsValue(string value, bool lvs)
    {
        // 2B003: LVS $5000 (774 Supp. 1), to Country Group B (740.3(a)); Brazil is in B.
        var d = Check("US:2B003", "BR", value: value);

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.Equal(lvs, d.EligibleLicenses.Contains("LVS"));
    }

    [Fact]
    public void Check_LvsForNationalSecurity_DoesNotClearMissileTechnology()
    {
        // 2A001: NS2 and MT1 to Brazil, LVS $3000 "N/A for MT": each reason is overcome separately (738.4(a)(2)(ii)).
        var d = Check("US:2A001", "BR", value: "100 USD");

        Assert.Equal(["us.ccl.MT1", "us.ccl.NS2"], Grounds(d).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("LVS", d.EligibleLicenses);
        Assert.Contains("license", d.EligibleLicenses);
    }

    [Fact]
    public void Check_LvsOutsideCountryGroupB_NotEligible()
    {
        // China is not in Country Group B (740 Supp. 1).
        Assert.DoesNotContain("LVS", Check("US:2B003", "CN", value: "100 USD").EligibleLicenses);
    }

    [Fact]
    public void Check_Gbs_GroupBAndTheEccnsFlag()
    {
        // 3C005: GBS "Yes" (774 Supp. 1); 740.4 for Country Group B where NS is the only reason.
        Assert.Contains("GBS", Check("US:3C005", "BR").EligibleLicenses);
        Assert.DoesNotContain("GBS", Check("US:3C005", "CN").EligibleLicenses);
        Assert.DoesNotContain("GBS", Check("US:2B003", "BR").EligibleLicenses); // 2B003: GBS N/A
    }

    [Fact]
    public void Check_StaToA6_NationalSecurityOnlyAndConditional()
    {
        // Israel is in A:6: STA for NS-only items (740.20(c)(2)), with the consignee statement as a condition.
        var d = Check("US:3C005", "IL");

        Assert.Contains("STA", d.EligibleLicenses);
        Assert.Contains("740.20(d)", d.LicenseConditions["STA"], StringComparison.Ordinal);
        Assert.DoesNotContain("STA", Check("US:2A001", "IL").EligibleLicenses); // MT1 as well: 740.2(a)(5)
    }

    [Theory]
    [InlineData("US:2B003", "BR", "LVS", "value <= 5000 USD")] // no value given: LVS if it is within $5000
    [InlineData("US:3C005", "AE", "STA", "Supplement No. 8 to Part 740")] // the UAE: approved entities only (740.2(a)(26))
    [InlineData("US:5A002.a", "CN", "ENC", "740.17(b)")] // which ENC paragraph the item falls under (5A002 whole: its .z paragraphs take no ENC, 740.2(a)(9)(ii))
    public void Check_ExceptionUnderAConditionNotDecided_EligibleNamingTheCondition(string item, string to, string licence, string condition)
    {
        var d = Check(item, to);

        Assert.Contains(licence, d.EligibleLicenses);
        Assert.Contains(condition, d.LicenseConditions[licence], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EncForTheWholeEntryWithZParagraphs_DependsOnTheSubItem()
    {
        // 740.2(a)(9)(ii): the .z paragraphs take no ENC; 5A002 given whole may be one of them.
        var d = Check("US:5A002", "CN");

        Assert.DoesNotContain("ENC", d.EligibleLicenses);
        Assert.Contains("5A002.z", d.LicenseConditions["ENC"], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EncForANonEncryptionItem_NotEligible()
    {
        Assert.DoesNotContain("ENC", Check("US:2B003", "CN").EligibleLicenses);
    }

    [Fact]
    public void Check_TransactionExceptions_NamedAsConditions()
    {
        var d = Check("US:2B003", "CN");

        Assert.Contains("TMP", d.EligibleLicenses);
        Assert.Contains("740.9", d.LicenseConditions["TMP"], StringComparison.Ordinal);
        Assert.DoesNotContain("TSU", d.EligibleLicenses); // TSU is for software and technology
        Assert.Contains("TSU", Check("US:3E001", "IN").EligibleLicenses);
        // 740.2(a)(9)(i) (from 17 Nov 2023): to Macau or D:5, 3E001 takes no licence exception but GOV under 740.11(b).
        Assert.DoesNotContain("TSU", Check("US:3E001", "CN").EligibleLicenses);
    }

    // ---- dates ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Check_BeforeTheListsText_WarnsThatTheListMayHaveDiffered()
    {
        // The CCL is the eCFR text of 2026-07-23: the day before carries the warning, the day itself not.
        Assert.Contains(Check("US:2B003", "BR", "2026-07-22").Warnings, w => w.Contains("text of 2026-07-23", StringComparison.Ordinal));
        Assert.DoesNotContain(Check("US:2B003", "BR", "2026-07-23").Warnings, w => w.Contains("text of 2026-07-23", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_BeforeCoverage_Indeterminate()
    {
        Assert.Equal(Verdict.Indeterminate, Check("US:2B003", "BR", "2018-12-31").Verdict);
        Assert.Equal(Verdict.LicenseRequired, Check("US:2B003", "BR", "2019-01-01").Verdict);
    }
}
