using Clearance.Content;
using Clearance.Model;
using NodaTime;

namespace Clearance.Content.Tests;

public sealed class ContentLoaderTests
{
    private const string Valid = """
        jurisdiction:
          id: JP
          name: Japan
          law: FEFTA
          coverage_from: 2014-09-15
          cite: "FEFTA"
        items:
          - {code: "1", title: "Arms", cite: "row 1"}
        country_sets:
          - id: table-3
            name: Group A
            group: true
            cite: "Appended Table 3"
            members:
              - {country: US}
              - {country: KR, to: 2019-08-28}
        requirements:
          - id: r1
            kind: list
            title: listed
            items: ["1"]
            destinations: any
            cite: "Art. 48"
        license_types:
          - {id: individual, name: Individual, cite: "Art. 48"}
        license_scope:
          - {id: s1, license: individual, effect: allow, title: any, items: any, destinations: any, cite: "Art. 48"}
        review_periods:
          - {id: v1, license: individual, days: 90, destinations: any, cite: "guide"}
        """;

    private static ContentValidationException Fails(string text) =>
        Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("jp.yaml", text)]));

    [Fact]
    public void LoadBuiltIn_ShipsJapanAndKoreaWithVersion()
    {
        var content = ContentLoader.LoadBuiltIn();

        Assert.NotNull(content.Find("JP"));
        Assert.NotNull(content.Find("KR"));
        Assert.Matches("^sha256:[0-9a-f]{12}$", content.Version);
    }

    [Fact]
    public void Load_ValidFile_BuildsModel()
    {
        var content = ContentLoader.Load([("jp.yaml", Valid)]);

        var j = content.Find("JP")!;
        Assert.Equal(2, j.Sets[0].Members.Count);
        Assert.Equal(new SourceRef("jp.yaml", 18), j.Requirements[0].Source);
    }

    [Fact]
    public void Load_VersionChangesWithContent()
    {
        var a = ContentLoader.Load([("jp.yaml", Valid)]).Version;
        var b = ContentLoader.Load([("jp.yaml", Valid.Replace("days: 90", "days: 60", StringComparison.Ordinal))]).Version;

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Load_OverlappingMembership_ErrorWithFileAndLine()
    {
        var text = Valid.Replace("      - {country: US}", "      - {country: KR, from: 2019-01-01}", StringComparison.Ordinal);

        var error = Assert.Single(Fails(text).Errors);
        Assert.Equal("jp.yaml", error.File);
        Assert.Equal(15, error.Line);
        Assert.Contains("membership of KR", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownSetReference_Error()
    {
        var error = Assert.Single(Fails(Valid.Replace("destinations: any\n    cite: \"Art. 48\"", "destinations: {sets: [group-z]}\n    cite: \"Art. 48\"", StringComparison.Ordinal)).Errors);

        Assert.Contains("country set 'group-z' is not defined", error.Message, StringComparison.Ordinal);
        Assert.Equal(18, error.Line);
    }

    /// <summary>The valid content with an exporting-country condition on its requirement (the line after its destinations).</summary>
    private static string WithExportedFrom(string selector) =>
        Valid.Replace("destinations: any\n    cite: \"Art. 48\"", $"destinations: any\n    exported_from: {selector}\n    cite: \"Art. 48\"", StringComparison.Ordinal);

    [Fact]
    public void Load_RequirementExportedFromUnknownSet_ErrorWithFileAndLine()
    {
        var error = Assert.Single(Fails(WithExportedFrom("{sets: [group-z]}")).Errors);

        Assert.Equal("jp.yaml", error.File);
        Assert.Equal(18, error.Line);
        Assert.Contains("rule 'r1': country set 'group-z' is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RequirementExportedFromBadCode_ErrorWithFileAndLine()
    {
        var error = Assert.Single(Fails(WithExportedFrom("{countries: [XXX]}")).Errors);

        Assert.Equal(23, error.Line);
        Assert.Contains("'XXX' is not an ISO 3166-1 alpha-2 code", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RequirementExportedFrom_KeptOnTheRule()
    {
        var content = ContentLoader.Load([("jp.yaml", WithExportedFrom("{sets: [table-3], except_countries: [KR]}"))]);

        var rule = Assert.Single(content.Find("JP")!.Requirements);
        Assert.Equal(["table-3"], rule.ExportedFrom!.Sets);
        Assert.Equal([CountryCode.Parse("KR")], rule.ExportedFrom.ExceptCountries);
    }

    [Fact]
    public void Load_UnknownItemAndLicense_Errors()
    {
        var text = Valid.Replace("items: [\"1\"]", "items: [\"99\"]", StringComparison.Ordinal).Replace("{id: v1, license: individual", "{id: v1, license: bulk", StringComparison.Ordinal);

        var errors = Fails(text).Errors;
        Assert.Contains(errors, e => e.Line == 18 && e.Message.Contains("item '99' is not defined", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 29 && e.Message.Contains("licence type 'bulk' is not defined", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ImpossibleDate_ErrorNamesField()
    {
        var error = Assert.Single(Fails(Valid.Replace("to: 2019-08-28", "to: 2019-02-30", StringComparison.Ordinal)).Errors);

        Assert.Equal(16, error.Line);
        Assert.Contains("'to': '2019-02-30' is not a date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyPeriod_Error()
    {
        var error = Assert.Single(Fails(Valid.Replace("{country: KR, to: 2019-08-28}", "{country: KR, from: 2019-08-28, to: 2019-08-28}", StringComparison.Ordinal)).Errors);

        Assert.Contains("must be after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownField_Error()
    {
        var error = Assert.Single(Fails(Valid.Replace("title: listed", "title: listed\n    titel: typo", StringComparison.Ordinal)).Errors);

        Assert.Contains("unknown field 'titel'", error.Message, StringComparison.Ordinal);
        Assert.Equal(21, error.Line);
    }

    [Fact]
    public void Load_MissingCitation_Error()
    {
        var error = Assert.Single(Fails(Valid.Replace("{code: \"1\", title: \"Arms\", cite: \"row 1\"}", "{code: \"1\", title: \"Arms\"}", StringComparison.Ordinal)).Errors);

        Assert.Equal(8, error.Line);
        Assert.Contains("'cite' is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_YamlSyntaxError_ReportsLine()
    {
        var error = Assert.Single(Fails(Valid.Replace("  - {code: \"1\", title: \"Arms\", cite: \"row 1\"}", "  - {code: \"1\", title: [", StringComparison.Ordinal)).Errors);

        Assert.Equal("jp.yaml", error.File);
        Assert.True(error.Line >= 8, error.ToString());
        Assert.StartsWith("YAML syntax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateRuleId_Error()
    {
        var error = Assert.Single(Fails(Valid.Replace("{id: v1,", "{id: r1,", StringComparison.Ordinal)).Errors);

        Assert.Contains("rule 'r1' is defined more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DenyWithdrawingSeveralLicences_OneRulePerLicenceInListOrder()
    {
        var text = Valid
            .Replace("  - {id: individual, name: Individual, cite: \"Art. 48\"}", "  - {id: individual, name: Individual, cite: \"Art. 48\"}\n  - {id: bulk, name: Bulk, cite: \"Art. 49\"}", StringComparison.Ordinal)
            .Replace("  - {id: s1, license: individual,", "  - {id: w.no, licenses: [bulk, individual], effect: deny, title: \"No {license} for arms\", items: [\"1\"], destinations: any, from: 2020-01-01, cite: \"Art. 50\"}\n  - {id: s1, license: individual,", StringComparison.Ordinal);

        var scope = ContentLoader.Load([("jp.yaml", text)]).Find("JP")!.Scope;

        Assert.Equal(["w.no-bulk", "w.no-individual", "s1"], scope.Select(r => r.Id));
        Assert.Equal(["bulk", "individual"], scope.Take(2).Select(r => r.License));
        Assert.Equal(["No bulk for arms", "No individual for arms"], scope.Take(2).Select(r => r.Title));
        Assert.All(scope.Take(2), r =>
        {
            Assert.Equal(ScopeEffect.Deny, r.Effect);
            Assert.Equal(new LocalDate(2020, 1, 1), Assert.Single(r.Periods).From);
            Assert.Equal("Art. 50", r.Citation.Text);
        });
    }

    [Theory]
    [InlineData("licenses: [individual], effect: allow, title: \"{license}\"", "'licenses' is for a deny")]
    [InlineData("licenses: [individual], license: individual, effect: deny, title: \"{license}\"", "not both")]
    [InlineData("licenses: [individual], effect: deny, title: \"no licence\"", "{license}")]
    [InlineData("licenses: [individual, individual], effect: deny, title: \"{license}\"", "named twice")]
    [InlineData("licenses: [], effect: deny, title: \"{license}\"", "name the licence types")]
    [InlineData("licenses: [missing], effect: deny, title: \"{license}\"", "licence type 'missing' is not defined")]
    public void Load_DenyWithdrawingSeveralLicencesMisused_ErrorWithLine(string rule, string expected)
    {
        var text = Valid.Replace("  - {id: s1, license: individual,", "  - {id: w.no, " + rule + ", items: any, destinations: any, cite: \"Art. 50\"}\n  - {id: s1, license: individual,", StringComparison.Ordinal);

        var error = Assert.Single(Fails(text).Errors);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(27, error.Line);
    }

    [Fact]
    public void Load_GroundNamingARequirementAnnouncedLater_ValidInTheViewsWithoutIt()
    {
        // Validated as known on 2 Aug 2019 (the membership's announcement), r2 (announced 1 Dec 2019) is not in the view:
        // the allow's ground still names a rule of the content, accepted; the view lists it as known later.
        var text = Valid
            .Replace("{country: KR, to: 2019-08-28}", "{country: KR, to: 2019-08-28, to_known: {date: 2019-08-02, cite: \"decision\"}}", StringComparison.Ordinal)
            .Replace("license_types:\n", "  - {id: r2, kind: list, title: later, items: [\"1\"], destinations: any, from: 2020-01-01, known: 2019-12-01, cite: \"Art. 49\"}\nlicense_types:\n", StringComparison.Ordinal)
            .Replace("destinations: any, cite: \"Art. 48\"}\nreview_periods:", "destinations: any, grounds: [r2], cite: \"Art. 48\"}\nreview_periods:", StringComparison.Ordinal);

        var content = ContentLoader.Load([("jp.yaml", text)]);
        var before = content.AsKnownOn(new LocalDate(2019, 8, 2)).Find("JP")!;
        var after = content.AsKnownOn(new LocalDate(2019, 12, 1)).Find("JP")!;

        Assert.Equal(["r2"], Assert.Single(before.Scope).GroundRules);
        Assert.DoesNotContain(before.Requirements, r => r.Id == "r2");
        Assert.Equal(["r2"], before.RequirementsKnownLater);
        Assert.Contains(after.Requirements, r => r.Id == "r2");
        Assert.Empty(after.RequirementsKnownLater);
    }

    [Fact]
    public void Load_GroundNamingNoRequirement_ErrorOnTheContent()
    {
        var text = Valid.Replace("destinations: any, cite: \"Art. 48\"}\nreview_periods:", "destinations: any, grounds: [r9], cite: \"Art. 48\"}\nreview_periods:", StringComparison.Ordinal);

        var error = Assert.Single(Fails(text).Errors);

        Assert.Contains("'grounds': 'r9' is neither", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDirectory_Empty_Error()
    {
        var dir = Directory.CreateTempSubdirectory("clearance-content-");
        try
        {
            Assert.Throws<ContentValidationException>(() => ContentLoader.LoadDirectory(dir.FullName));
        }
        finally
        {
            dir.Delete(true);
        }
    }
    [Fact]
    public void Load_ReviewedGapExceptionAndSetExistence_BuildsModel()
    {
        var text = Valid
            .Replace("  coverage_from: 2014-09-15\n", "  coverage_from: 2014-09-15\n  reviewed: 2026-12-01\n", StringComparison.Ordinal)
            .Replace("    group: true\n", "    group: true\n    from: 2019-08-02\n", StringComparison.Ordinal)
            .Replace("license_types:", """
                  - {id: r2, kind: embargo, title: banned, items: any, destinations: {countries: [KP]}, exception: {license: individual, condition: "humanitarian"}, cite: "Art. 48(3)"}
                  - {id: r3, kind: gap, title: "Iran measures not in the content", items: any, destinations: {countries: [IR]}, cite: "none"}
                license_types:
                """.Replace("                ", "", StringComparison.Ordinal).TrimEnd('\n'), StringComparison.Ordinal);

        var j = ContentLoader.Load([("jp.yaml", text)]).Find("JP")!;

        Assert.Equal(new NodaTime.LocalDate(2026, 12, 1), j.Reviewed);
        Assert.Equal(new NodaTime.LocalDate(2019, 8, 2), j.Sets[0].Existence.From);
        Assert.Equal(new RuleException("individual", "humanitarian"), j.Requirements.Single(r => r.Id == "r2").Exception);
        Assert.Equal(RequirementKind.Gap, j.Requirements.Single(r => r.Id == "r3").Kind);
    }

    [Fact]
    public void Load_ExceptionOnANonEmbargo_ErrorWithLine()
    {
        var text = Valid.Replace("    destinations: any\n    cite: \"Art. 48\"", "    destinations: any\n    exception: {license: individual, condition: x}\n    cite: \"Art. 48\"", StringComparison.Ordinal);

        var error = Assert.Single(Fails(text).Errors);
        Assert.Equal(18, error.Line);
        Assert.Contains("'exception' is only for an embargo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExceptionUnderAnUndefinedLicense_Error()
    {
        var text = Valid.Replace("    kind: list\n", "    kind: embargo\n", StringComparison.Ordinal)
            .Replace("    destinations: any\n    cite: \"Art. 48\"", "    destinations: any\n    exception: {license: approval, condition: x}\n    cite: \"Art. 48\"", StringComparison.Ordinal);

        var error = Assert.Single(Fails(text).Errors);
        Assert.Contains("licence type 'approval' is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SetExistenceAsPeriods_Error()
    {
        var error = Assert.Single(Fails(Valid.Replace("    group: true\n", "    group: true\n    periods: [{to: 2019-01-01}, {from: 2019-08-02}]\n", StringComparison.Ordinal)).Errors);

        Assert.Contains("give the set's existence as one 'from'/'to'", error.Message, StringComparison.Ordinal);
    }

    private const string Part = """
        part_of: JP
        facts:
          - {id: jp_extra, type: boolean, description: "a fact the part declares", cite: "part"}
        items:
          - {code: "2", title: "Nuclear", cite: "row 2"}
        requirements:
          - {id: r2, kind: list, title: nuclear, items: ["2"], destinations: {sets: [table-3]}, when: {jp_extra: true}, cite: "Art. 48"}
        """;

    [Fact]
    public void Load_PartOfAJurisdiction_AddsItsElements()
    {
        var content = ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", Part)]);

        var j = content.Find("JP")!;
        Assert.Equal(["1", "2"], j.Items.Select(i => i.Code));
        Assert.Equal(["r1", "r2"], j.Requirements.Select(r => r.Id));
        Assert.Equal(new SourceRef("jp-more.yaml", 7), j.Requirements[1].Source);
        Assert.Equal("jp_extra", Assert.Single(j.DeclaredFacts).Id);
        Assert.Single(content.Jurisdictions);
    }

    private static string WithFact(string fact) =>
        Part.Replace("  - {id: jp_extra, type: boolean, description: \"a fact the part declares\", cite: \"part\"}", fact, StringComparison.Ordinal);

    [Fact]
    public void Load_ScreenedFactWithoutParties_IsScreenedForTheEndUserAlone()
    {
        var content = ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", WithFact("  - {id: jp_extra, type: boolean, screened_by: meti-eul, description: listed, cite: part}"))]);

        var fact = Assert.Single(content.Find("JP")!.DeclaredFacts);
        Assert.Equal([ScreenedParty.EndUser], fact.ScreenedParties);
        Assert.True(fact.IsScreenedFor(ScreenedParty.EndUser));
        Assert.False(fact.IsScreenedFor(ScreenedParty.Consignee));
    }

    [Fact]
    public void Load_ScreenedParties_NamesTheConsigneeToo()
    {
        var content = ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", WithFact("  - {id: jp_extra, type: boolean, screened_by: csl-el, screened_parties: [end_user, consignee], description: listed, cite: part}"))]);

        var fact = Assert.Single(content.Find("JP")!.DeclaredFacts);
        Assert.Equal([ScreenedParty.EndUser, ScreenedParty.Consignee], fact.ScreenedParties);
        Assert.True(fact.IsScreenedFor(ScreenedParty.Consignee));
    }

    [Fact]
    public void Load_ScreenedParties_NamesEveryPartyToTheTransaction()
    {
        // 15 CFR 748.5(c)-(f): purchaser, intermediate consignee, ultimate consignee, end user.
        var content = ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", WithFact("  - {id: jp_extra, type: boolean, screened_by: csl-el, screened_parties: [end_user, consignee, purchaser, intermediate_consignee], description: listed, cite: part}"))]);

        var fact = Assert.Single(content.Find("JP")!.DeclaredFacts);
        Assert.Equal([ScreenedParty.EndUser, ScreenedParty.Consignee, ScreenedParty.Purchaser, ScreenedParty.IntermediateConsignee], fact.ScreenedParties);
        Assert.True(fact.IsScreenedFor(ScreenedParty.Purchaser));
        Assert.True(fact.IsScreenedFor(ScreenedParty.IntermediateConsignee));
    }

    [Theory]
    [InlineData("screened_parties: [end_user, consignee]", "'screened_parties' is allowed only with 'screened_by'")]
    [InlineData("screened_by: csl-el, screened_parties: [end_user, buyer]", "'buyer' is not one of end_user, consignee, purchaser, intermediate_consignee")]
    [InlineData("screened_by: csl-el, screened_parties: [consignee, consignee]", "names 'consignee' twice")]
    [InlineData("screened_by: csl-el, screened_parties: []", "names no party")]
    public void Load_ScreenedPartiesMisused_ErrorWithFileAndLine(string keys, string message)
    {
        // The fact is refused, so the rule that tests it is an error too (line 7): the fact's own error names the key.
        var errors = FailsWithPart(WithFact($"  - {{id: jp_extra, type: boolean, {keys}, description: listed, cite: part}}")).Errors;

        var error = Assert.Single(errors, e => e.Line == 3);
        Assert.Equal("jp-more.yaml", error.File);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static ContentValidationException FailsWithPart(string part) =>
        Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", part)]));

    [Fact]
    public void Load_PartChanged_ChangesTheVersion()
    {
        var a = ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", Part)]).Version;
        var b = ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", Part.Replace("Nuclear", "Nuclear items", StringComparison.Ordinal))]).Version;

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Load_IdRepeatedInAPart_ErrorAtThePartsLine()
    {
        var part = Part.Replace("id: r2,", "id: r1,", StringComparison.Ordinal);

        var error = Assert.Single(Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", part)])).Errors);

        Assert.Equal("jp-more.yaml", error.File);
        Assert.Equal(7, error.Line);
        Assert.Contains("'r1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PartOfAnUndefinedJurisdiction_Error()
    {
        var error = Assert.Single(Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("jp.yaml", Valid), ("xx.yaml", Part.Replace("part_of: JP", "part_of: XX", StringComparison.Ordinal))])).Errors);

        Assert.Equal(new ContentError("xx.yaml", 1, "'part_of': no file defines jurisdiction 'XX' (defined: JP)"), error);
    }

    [Fact]
    public void Load_PartWithAnUnknownKey_ErrorWithLine()
    {
        var error = Assert.Single(Assert.Throws<ContentValidationException>(() => ContentLoader.Load([("jp.yaml", Valid), ("jp-more.yaml", Part + "\nrules: []\n")])).Errors);

        Assert.Equal("jp-more.yaml", error.File);
        Assert.Contains("rules", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PartAndJurisdictionInOneFile_Error()
    {
        var error = Assert.Single(Fails("part_of: JP\n" + Valid).Errors);

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOnly_Japan_OnlyItsRulesUnderTheWholeContentsVersionAndFiles()
    {
        var files = ContentLoader.BuiltInFiles();
        var whole = ContentLoader.Load(files);

        var japan = ContentLoader.LoadOnly(files, head => head.Id == "JP");

        Assert.Equal(["JP"], japan.Jurisdictions.Select(j => j.Id));
        Assert.Equal(whole.Version, japan.Version);
        Assert.Equal(whole.Files, japan.Files);
        Assert.Equal(whole.Find("JP")!.Requirements.Select(r => (r.Id, r.Source)), japan.Find("JP")!.Requirements.Select(r => (r.Id, r.Source)));
    }

    [Fact]
    public void LoadOnly_JurisdictionWithParts_ReadsItsParts()
    {
        var files = ContentLoader.BuiltInFiles();

        var us = ContentLoader.LoadOnly(files, head => head.Id == "US");

        Assert.Equal(["US"], us.Jurisdictions.Select(j => j.Id));
        Assert.Equal(ContentLoader.Load(files).Find("US")!.Items.Count, us.Find("US")!.Items.Count);
    }

    [Fact]
    public void LoadOnly_PartOfAJurisdictionLeftOut_NotRead()
    {
        // The part is not even parsed: its YAML error surfaces only when its jurisdiction is loaded.
        var broken = "part_of: KR\nitems: [\n";
        var kr = Valid.Replace("id: JP", "id: KR", StringComparison.Ordinal);

        var japan = ContentLoader.LoadOnly([("jp.yaml", Valid), ("kr.yaml", kr), ("kr-more.yaml", broken)], head => head.Id == "JP");

        Assert.Equal(["JP"], japan.Jurisdictions.Select(j => j.Id));
        Assert.Equal("kr-more.yaml", Assert.Single(Assert.Throws<ContentValidationException>(() =>
            ContentLoader.LoadOnly([("jp.yaml", Valid), ("kr.yaml", kr), ("kr-more.yaml", broken)], head => head.Id == "KR")).Errors).File);
    }

    [Fact]
    public void LoadOnly_DefiningFileInError_ErrorsAsTheFullLoadGivesThem()
    {
        var broken = Valid.Replace("coverage_from: 2014-09-15", "coverage_from: 2014-02-30", StringComparison.Ordinal);

        var partial = Assert.Throws<ContentValidationException>(() => ContentLoader.LoadOnly([("jp.yaml", broken)], _ => false));

        Assert.Equal(Fails(broken).Errors, partial.Errors);
    }

    [Theory]
    [InlineData("JP", "JP:16", "JP")]
    [InlineData("JP", "JP:16,US:3B993", "JP,US")]
    [InlineData("KR", "KR:2A001", "KR")]
    [InlineData("US", "US:EAR99", "US")]
    [InlineData("DE", "us:3B993", "US")]
    [InlineData("DE", "DE:1", "")]
    public void MayGovern_BuiltInHeads_ExportingCountryAndClassifiedItems(string from, string classifications, string expected)
    {
        var heads = new List<JurisdictionHead>();
        ContentLoader.LoadOnly(ContentLoader.BuiltInFiles(), head =>
        {
            heads.Add(head);
            return false;
        });
        var prefixes = classifications.Split(',').Select(c => c[..c.IndexOf(':', StringComparison.Ordinal)]).ToList();

        var governing = heads.Where(h => h.MayGovern(CountryCode.Parse(from), prefixes)).Select(h => h.Id);

        Assert.Equal(expected, string.Join(",", governing));
    }
}
