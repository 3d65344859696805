using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Content.Tests;

/// <summary>
/// A test regime written in the content format, with what the US EAR needs: items selected by an attribute (reason for
/// control) rather than by listing codes, and a value-limited licence (as LVS) whose limit is in another currency than
/// the shipment's value.
/// </summary>
public sealed class FactModelContentTests
{
    private const string Regime = """
        jurisdiction:
          id: XT
          name: Test regime
          law: test law
          coverage_from: 2019-01-01
          exporters: {countries: [XK]}
          reach: classified-items
          cite: "test law"
        facts:
          - {id: military_end_user, type: boolean, default: false, description: "the end user is a military end user", cite: "test law s. 9"}
        items:
          - {code: "3B001", title: "equipment", attributes: {reasons: [NS2, AT1]}, cite: "list"}
          - {code: "3B001.a", parent: "3B001", title: "a sub-paragraph", cite: "list"}
          - {code: "3B991", title: "lesser equipment", attributes: {reasons: AT1}, cite: "list"}
          - {code: "3B", title: "product group", cite: "list"}
          - {code: "3B002", parent: "3B", title: "in a group", attributes: {reasons: [NS2]}, cite: "list"}
        country_sets:
          - id: group-b
            name: Group B
            group: true
            cite: "supplement 1"
            members:
              - {country: KR}
              - {country: JP}
        requirements:
          - id: xt.ns2
            kind: list
            title: NS2-controlled items need a licence
            items: {any: true, where: {reasons: [NS2]}}
            destinations: any
            cite: "s. 1"
          - id: xt.mil
            kind: catch-all
            title: military end users need a licence
            items: any
            destinations: {countries: [CN]}
            when: {military_end_user: true}
            cite: "s. 9"
        license_types:
          - {id: individual, name: Individual, cite: "s. 2"}
          - {id: lvs, name: Limited value shipments, cite: "s. 3"}
        license_scope:
          - {id: s1, license: individual, effect: allow, title: any, items: any, destinations: any, cite: "s. 2"}
          - id: s2
            license: lvs
            effect: allow
            title: shipments of limited value to Group B
            items: {any: true, where: {reasons: [NS2]}}
            destinations: {sets: [group-b]}
            when: {value: "<= 5000 USD"}
            cite: "s. 3"
        review_periods:
          - {id: v1, license: individual, days: 30, destinations: any, cite: "s. 4"}
        """;

    private static readonly ContentSet Content = ContentLoader.Load([("xt.yaml", Regime)]);

    private static Determination Check(string item, string to, Amount? value = null, ExchangeRates? rates = null, Dictionary<string, string>? declared = null)
    {
        var compiled = CompiledJurisdiction.Compile(Content.Jurisdictions[0], Content.Version, rates);
        Assert.True(compiled.TryFindItem(item, out var index));
        var facts = new ShipmentFacts(new LocalDate(2020, 1, 1), index, CountryCode.Parse(to), EndUse.Civil, false, EndUserStatus.Clear)
        {
            Value = value,
            Declared = declared,
        };
        var determination = compiled.Evaluate(facts);
        Assert.Equal(ReferenceEvaluator.Compute(compiled.Model, facts, rates).Code, compiled.Compute(facts).Code);
        return determination;
    }

    [Theory]
    [InlineData("3B001", Verdict.LicenseRequired)]
    [InlineData("3B001.a", Verdict.LicenseRequired)] // inherits NS2 from 3B001
    [InlineData("3B991", Verdict.NoLicenseRequired)] // AT1 only
    [InlineData("3B", Verdict.Indeterminate)] // a group: 3B002 within it is NS2
    public void Evaluate_AttributeSelector_TakesItemsByReasonForControl(string item, Verdict expected)
    {
        var determination = Check(item, "CN");

        Assert.Equal(expected, determination.Verdict);
        if (expected == Verdict.Indeterminate)
        {
            Assert.Contains(determination.MissingFacts, m => m.StartsWith("item:", StringComparison.Ordinal));
        }
    }

    // 3B001.y does not inherit NS2 (as the CCL's "NS applies to entire entry, except 3B001.y" where the rest of the entry
    // is not listed paragraph by paragraph); 3B001.y.1 below it does not get it back.
    private const string ParagraphA = """- {code: "3B001.a", parent: "3B001", title: "a sub-paragraph", cite: "list"}""";
    private const string ParagraphY = """- {code: "3B001.y", parent: "3B001", title: "the excepted paragraph", not_inherited: {reasons: [NS2]}, cite: "list"}""";
    private const string ParagraphY1 = """- {code: "3B001.y.1", parent: "3B001.y", title: "below the excepted paragraph", cite: "list"}""";
    private static readonly string Excepting = Regime.Replace(ParagraphA, $"{ParagraphA}\n  {ParagraphY}\n  {ParagraphY1}", StringComparison.Ordinal);

    [Theory]
    [InlineData("3B001.y", Verdict.NoLicenseRequired)] // NS2 not inherited; AT1 still is, and selects nothing here
    [InlineData("3B001.y.1", Verdict.NoLicenseRequired)] // below the exception: not inherited either
    [InlineData("3B001.a", Verdict.LicenseRequired)] // the rest of the entry keeps NS2
    [InlineData("3B001", Verdict.Indeterminate)] // given whole: depends on whether it is .y
    public void Evaluate_NotInheritedAttribute_LeavesTheParagraphOutOfTheRule(string item, Verdict expected)
    {
        Assert.Contains("3B001.y.1", Excepting, StringComparison.Ordinal);
        var content = ContentLoader.Load([("xt.yaml", Excepting)]);
        var compiled = CompiledJurisdiction.Compile(content.Jurisdictions[0], content.Version);
        Assert.True(compiled.TryFindItem(item, out var index));
        var facts = new ShipmentFacts(new LocalDate(2020, 1, 1), index, CountryCode.Parse("CN"), EndUse.Civil, false, EndUserStatus.Clear);

        var determination = compiled.Evaluate(facts);

        Assert.Equal(ReferenceEvaluator.Compute(compiled.Model, facts).Code, compiled.Compute(facts).Code);
        Assert.Equal(expected, determination.Verdict);
        Assert.Equal(expected == Verdict.Indeterminate, determination.MissingFacts.Any(m => m.StartsWith("item:", StringComparison.Ordinal)));
        var reasons = content.Jurisdictions[0].AttributesOf(content.Jurisdictions[0].FindItem(item)!)["reasons"];
        Assert.Equal(item is "3B001.y" or "3B001.y.1" ? ["AT1"] : ["NS2", "AT1"], reasons.Order(StringComparer.Ordinal).Reverse());
    }

    [Theory]
    [InlineData("not_inherited: {reasons: [NS1]}", "'not_inherited' reasons 'NS1' is not an attribute of an entry above it")]
    [InlineData("not_inherited: {reasons: [NS2]}, attributes: {reasons: [NS2]}", "reasons 'NS2' is both its own attribute and 'not_inherited'")]
    public void Load_NotInheritedThatTakesNothingOut_RefusedAtItsLine(string keys, string expected)
    {
        var text = Regime.Replace("""title: "a sub-paragraph", cite""", $"""title: "a sub-paragraph", {keys}, cite""", StringComparison.Ordinal);

        var error = Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("xt.yaml", text)]));

        var single = Assert.Single(error.Errors);
        Assert.Equal("xt.yaml", single.File);
        Assert.Equal(Regime.Split('\n').ToList().FindIndex(l => l.Contains("a sub-paragraph", StringComparison.Ordinal)) + 1, single.Line);
        Assert.Contains(expected, single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotInheritedOnAnEntryWithoutParent_Refused()
    {
        var text = Regime.Replace("""title: "lesser equipment", attributes""", """title: "lesser equipment", not_inherited: {reasons: [NS2]}, attributes""", StringComparison.Ordinal);

        var error = Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("xt.yaml", text)]));

        Assert.Contains(error.Errors, e => e.Message.Contains("'3B991': 'not_inherited' needs a parent", StringComparison.Ordinal));
    }

    // Every listed entry but 3B001.c (and 3B001.c.1 below it), not the catch-all scope: the EAR's "all items on the CCL
    // other than 5A992.c", not EAR99.
    private const string ListedItems = """
          - {code: "3B001.c", parent: "3B001", title: "the excepted paragraph", cite: "list"}
          - {code: "3B001.c.1", parent: "3B001.c", title: "below the excepted paragraph", cite: "list"}
          - {code: "NL", title: "not listed", catch_all: true, cite: "list"}
          - {code: "NL.1", parent: "NL", title: "below the catch-all", cite: "list"}
        """;

    private const string ListedRule = """
          - id: xt.listed
            kind: list
            title: every listed item but 3B001.c needs a licence to KP
            items: {listed: true, except: [3B001.c]}
            destinations: {countries: [KP]}
            cite: "s. 5"
        """;

    private static string Listing(string items = "items: {listed: true, except: [3B001.c]}") =>
        Regime.Replace(ParagraphA, ParagraphA + "\n" + ListedItems.TrimEnd(), StringComparison.Ordinal)
            .Replace("license_types:", ListedRule.Replace("items: {listed: true, except: [3B001.c]}", items, StringComparison.Ordinal) + "\nlicense_types:", StringComparison.Ordinal);

    private static int LineOf(string text, string part) => text.Split('\n').ToList().FindIndex(l => l.Contains(part, StringComparison.Ordinal)) + 1;

    [Theory]
    [InlineData("3B001", Match.Maybe)] // given whole: depends on whether it is .c
    [InlineData("3B001.a", Match.Yes)]
    [InlineData("3B001.c", Match.No)]
    [InlineData("3B001.c.1", Match.No)] // below the exception
    [InlineData("3B991", Match.Yes)]
    [InlineData("3B", Match.Yes)] // a group is on the list with all below it
    [InlineData("NL", Match.No)] // the catch-all scope is not a listed entry
    [InlineData("NL.1", Match.No)]
    public void ItemMatch_ListedExcept_TakesEveryListedEntryButTheException(string item, Match expected)
    {
        var content = ContentLoader.Load([("xt.yaml", Listing())]);
        var j = content.Jurisdictions[0];
        var rule = j.Requirements.Single(r => r.Id == "xt.listed");

        Assert.Equal(expected, ReferenceEvaluator.ItemMatch(j, rule.Items, j.FindItem(item)!));
        Assert.Equal("every item on the control list except 3B001.c", rule.Items.ToString());
        var compiled = CompiledJurisdiction.Compile(j, content.Version);
        Assert.True(compiled.TryFindItem(item, out var index));
        var facts = new ShipmentFacts(new LocalDate(2020, 1, 1), index, CountryCode.Parse("KP"), EndUse.Civil, false, EndUserStatus.Clear);
        var determination = compiled.Evaluate(facts);
        Assert.Equal(ReferenceEvaluator.Compute(compiled.Model, facts).Code, compiled.Compute(facts).Code);
        if (expected != Match.Maybe)
        {
            Assert.Equal(expected == Match.Yes, determination.Trace.Any(t => t.Rule == "xt.listed"));
        }
    }

    // A malformed selector is refused at its own line; an exception that is not defined or that the rest of the selector
    // does not take (it would except nothing) at the rule's, once the whole content is read.
    [Theory]
    [InlineData("items: {listed: true, exept: [3B001.c]}", "unknown field 'exept'", false)]
    [InlineData("items: {listed: true, except: 3B001.c}", "'except': expected a list of item codes", false)]
    [InlineData("items: {listed: true, except: []}", "'except': expected a list of item codes", false)]
    [InlineData("items: {listed: true, except: [\"3B001 .c\"]}", "'except': '3B001 .c' is not an item code", false)]
    [InlineData("items: {listed: true, except: [3B001.]}", "'except': '3B001.' is not an item code", false)]
    [InlineData("items: {listed: true, except: [3B001.c, 3B001.c]}", "'except': '3B001.c' is named twice", false)]
    [InlineData("items: {listed: true, any: true}", "name one of 'any: true', 'listed: true' and 'codes', not several", false)]
    [InlineData("items: {listed: true, codes: [3B001]}", "name one of 'any: true', 'listed: true' and 'codes', not several", false)]
    [InlineData("items: {except: [3B001.c]}", "name 'any: true', 'listed: true' or 'codes'", false)]
    [InlineData("items: {listed: true, except: [3B001.q]}", "rule 'xt.listed': 'except' names item '3B001.q', which is not defined", true)]
    [InlineData("items: {listed: true, except: [NL.1]}", "rule 'xt.listed': 'except' names item 'NL.1', which its items (every item on the control list) do not take", true)]
    [InlineData("items: {codes: [3B991], except: [3B001.c]}", "rule 'xt.listed': 'except' names item '3B001.c', which its items (3B991) do not take", true)]
    public void Load_MalformedOrEmptyException_RefusedWithItsLine(string items, string expected, bool atRule)
    {
        var text = Listing(items);

        var error = Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("xt.yaml", text)]));

        var single = Assert.Single(error.Errors);
        Assert.Equal("xt.yaml", single.File);
        Assert.Equal(LineOf(text, atRule ? "- id: xt.listed" : items), single.Line);
        Assert.Contains(expected, single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ValueLimitedLicense_EligibleUpToTheLimitOnly()
    {
        Assert.Equal(["individual", "lvs"], Check("3B001", "KR", new Amount(5000m, "USD")).EligibleLicenses);
        Assert.Equal(["individual"], Check("3B001", "KR", new Amount(5000.01m, "USD")).EligibleLicenses);
        Assert.Equal(["individual"], Check("3B001", "CN", new Amount(100m, "USD")).EligibleLicenses); // not Group B
    }

    [Fact]
    public void Evaluate_ValueInAnotherCurrency_ConvertedWithTheRatesGiven()
    {
        var rates = ExchangeRates.Parse("date,base,quote,rate\n2019-07-01,USD,JPY,108\n2020-06-01,USD,JPY,200\n", "rates.csv");

        Assert.Contains("lvs", Check("3B001", "KR", new Amount(540_000m, "JPY"), rates).EligibleLicenses); // 5,000 USD at 108 on 2020-01-01
        Assert.DoesNotContain("lvs", Check("3B001", "KR", new Amount(540_001m, "JPY"), rates).EligibleLicenses);
    }

    [Fact]
    public void Evaluate_ValueInAnotherCurrencyWithoutRate_NeverComparedAsItStands()
    {
        // 100 JPY is below 5000 in any reading; without a rate the engine still does not pretend to know.
        var determination = Check("3B001", "KR", new Amount(100m, "JPY"));

        Assert.Contains("lvs", determination.EligibleLicenses);
        Assert.Contains("value <= 5000 USD", determination.LicenseConditions["lvs"], StringComparison.Ordinal);
        Assert.Contains(determination.Trace, t => t.Rule == "s2" && t.Effect.Contains("if value <= 5000 USD", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_ValueNotGiven_LicenseOnlyConditional()
    {
        var determination = Check("3B001", "KR");

        Assert.Equal(["individual", "lvs"], determination.EligibleLicenses);
        Assert.Contains("not decided", determination.LicenseConditions["lvs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DeclaredFact_DefaultAppliesWhenNotGiven()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("3B991", "CN").Verdict);
        Assert.Equal(Verdict.LicenseRequired, Check("3B991", "CN", declared: new() { ["military_end_user"] = "true" }).Verdict);
    }

    [Theory]
    [InlineData("when: {valu: \"<= 5000 USD\"}", "'valu' is not a fact")]
    [InlineData("when: {value: \"about 5000\"}", "expected a comparison")]
    [InlineData("when: {value: \"<= 5000 dollars\"}", "expected a comparison")]
    [InlineData("when: {end_use: [civilian]}", "'civilian' is not one of")]
    [InlineData("when: {military_end_user: yes}", "expected true or false")]
    public void Load_BadCondition_ErrorNamesFieldAndLine(string when, string expected)
    {
        var text = Regime.Replace("when: {value: \"<= 5000 USD\"}", when, StringComparison.Ordinal);

        var error = Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("xt.yaml", text)]));

        var single = Assert.Single(error.Errors);
        Assert.Equal("xt.yaml", single.File);
        Assert.Equal(Regime.Split('\n').ToList().FindIndex(l => l.Contains("<= 5000 USD", StringComparison.Ordinal)) + 1, single.Line);
        Assert.Contains(expected, single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownAttributeInSelector_Error()
    {
        var text = Regime.Replace("items: {any: true, where: {reasons: [NS2]}}\n    destinations: any", "items: {any: true, where: {reason: [NS2]}}\n    destinations: any", StringComparison.Ordinal);

        var error = Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("xt.yaml", text)]));

        Assert.Contains(error.Errors, e => e.Message.Contains("attribute 'reason', which no item has", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_JurisdictionThatWouldNeverBeEvaluated_Refused()
    {
        var text = Regime.Replace("  exporters: {countries: [XK]}\n  reach: classified-items\n", "", StringComparison.Ordinal);

        var error = Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("xt.yaml", text)]));

        Assert.Contains(error.Errors, e => e.Message.Contains("would never be evaluated", StringComparison.Ordinal) && e.Line == 1);
    }

    [Fact]
    public void Parse_RatesFile_ErrorsNameLineAndField()
    {
        var error = Assert.Throws<FormatException>(() => ExchangeRates.Parse("date,base,quote,rate\n2019-07-01,USD,JPY,108\n2019-07-02,usd,JPY,108\n", "rates.csv"));

        Assert.Equal("rates.csv:3: field 'base': 'usd' is not a currency code (three upper-case letters, ISO 4217)", error.Message);
    }
}

/// <summary>
/// A regime whose id is not a country (the EU), governing exports from its member states as a dated set, beside a
/// member state's national measures: both govern an export from that state, and membership decides by date.
/// </summary>
public sealed class RegionalRegimeTests
{
    private const string Union = """
        jurisdiction:
          id: EU
          name: European Union (test)
          law: Regulation (EU) 2021/821
          coverage_from: 2019-01-01
          exporters: {sets: [member-states]}
          cite: "Regulation (EU) 2021/821, Art. 3"
        items:
          - {code: "3C002", title: resists, cite: "Annex I"}
        country_sets:
          - id: member-states
            name: Member States
            cite: "TEU Art. 52"
            members:
              - {country: DE}
              - {country: FR}
              - {country: GB, to: 2021-01-01, cite: "Withdrawal Agreement Art. 126-127 (transition period)"}
        requirements:
          - {id: eu.annex-i, kind: list, title: Annex I items, items: ["3C002"], destinations: any, cite: "Art. 3(1)"}
        license_types:
          - {id: individual, name: Individual, cite: "Art. 12"}
        license_scope:
          - {id: eu.s1, license: individual, effect: allow, title: any, items: any, destinations: any, cite: "Art. 12"}
        """;

    private const string Germany = """
        jurisdiction:
          id: DE
          name: Germany (national measures, test)
          law: Aussenwirtschaftsverordnung
          coverage_from: 2019-01-01
          cite: "AWV"
        items:
          - {code: "0001", title: national list, cite: "Ausfuhrliste Teil I A"}
        """;

    private static readonly Evaluator Evaluator = new(ContentLoader.Load([("eu.yaml", Union), ("de.yaml", Germany)]));

    private static string[] Governing(string from, string date)
    {
        Span<int> regimes = stackalloc int[Evaluator.Jurisdictions.Count];
        var count = Evaluator.Governing(CountryCode.Parse(from), NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, [], regimes);
        return [.. regimes[..count].ToArray().Select(i => Evaluator.Jurisdictions[i].Model.Id)];
    }

    [Fact]
    public void Governing_MemberState_UnionAndNationalMeasures()
    {
        Assert.Equal(["EU", "DE"], Governing("DE", "2022-01-01"));
        Assert.Equal(["EU"], Governing("FR", "2022-01-01"));
    }

    [Fact]
    public void Governing_StateLeavingTheUnion_ByDate()
    {
        Assert.Equal(["EU"], Governing("GB", "2020-12-31"));
        Assert.Empty(Governing("GB", "2021-01-01"));
    }
}
