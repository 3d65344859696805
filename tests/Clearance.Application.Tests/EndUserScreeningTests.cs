using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Clearance.Store;

namespace Clearance.Application.Tests;

/// <summary>Every list in ../shared/lists, read in place and indexed once for the tests that need them all.</summary>
public sealed class AllListsFixture
{
    public AllListsFixture()
    {
        string Shared(params string[] parts) => SharedListFiles.Path(parts);
        var entities = new List<ListEntity>();
        entities.AddRange(ListFiles.ParseAny(OfacCsvParser.Format, [Shared("ofac_sdn", "sdn_2024-05-03.csv")]));
        entities.AddRange(ListFiles.ParseAny(OfacCsvParser.Format, [Shared("ofac_consolidated_nonsdn", "cons_prim.csv")]));
        entities.AddRange(ListFiles.ParseAny(UnXmlParser.Format, [Shared("un", "UN_consolidated_2026-02-27.xml")]));
        entities.AddRange(ListFiles.ParseAny(CslCsvParser.Format, [Shared("csl_full", "consolidated_2026-07-31.csv")]));
        entities.AddRange(ListFiles.ParseAny(BisDplParser.Format, [Shared("csl_bis", "bis_dpl.txt")]));
        entities.AddRange(ListFiles.ParseAny(FtmParser.Format, [Shared("opensanctions_ftm", "zala_entities.ftm.json")]));
        entities.AddRange(ListFiles.ParseAny(MetiEulParser.Format, [Shared("meti_eul", "meti_eul_2025-09-29.csv")]));
        Index = ScreeningIndex.Build(entities);
    }

    public ScreeningIndex Index { get; }
}

public sealed class EndUserScreeningTests : IDisposable, IClassFixture<AllListsFixture>
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());
    private readonly TempDirectory _dir = new();
    private readonly AllListsFixture _lists;

    public EndUserScreeningTests(AllListsFixture lists) => _lists = lists;

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    private static Jurisdiction Japan => Evaluator.Content.Jurisdictions.First(j => j.EndUserList == "meti-eul");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private CheckResult CheckJapanToChina(string endUser, EndUserDecision? decision = null)
    {
        var service = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(_lists.Index)));
        var line = new ShipmentText(new ShipmentId("eu", false), "2024-01-01", "JP", "CN", ["JP:16"], "civil", endUser,
            EndUserDecision: decision switch { EndUserDecision.Confirmed => "confirmed", EndUserDecision.Cleared => "cleared", _ => null }).Validate(1);
        var result = service.Check(line);
        Assert.Null(result.Error);
        return result.Result!;
    }

    [Fact]
    public void Screen_LineWithoutEndUser_NeverOpensTheDatabase()
    {
        string db = Path.Combine(_dir.FullName, "not-yet", "clearance.db");
        EndUserScreening screening = EndUserScreeningFactory.Open(db, TextWriter.Null);

        Assert.Equal(EndUserStatus.NotGiven, screening.Screen(Japan, null, CountryCode.Parse("CN")).Status);
        Assert.False(Directory.Exists(Path.GetDirectoryName(db)));

        Assert.Equal(EndUserStatus.NotScreened, screening.Screen(Japan, "Beihang University", CountryCode.Parse("CN")).Status);
        Assert.True(Directory.Exists(Path.GetDirectoryName(db)));
    }

    [Fact]
    public void Screen_EndUserOnTheEndUserList_IsListed_ThroughThePersistedIndex()
    {
        var store = ListStore.OpenSqlite(Db);
        ListImport.Run(store, MetiEulParser.Format, [SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")], null, allowShrink: false);
        ListImport.RefreshScreeningIndex(store, TextWriter.Null, TextWriter.Null);
        EndUserScreening screening = EndUserScreeningFactory.Open(Db, TextWriter.Null);

        EndUserResult result = screening.Screen(Japan, "Beijing University of Aeronautics & Astronautics", CountryCode.Parse("CN"));

        Assert.Equal(EndUserStatus.Listed, result.Status);
        Assert.Contains(result.Matches, m => m.ListId == "meti-eul" && m.EntityId == "501");
    }

    [Theory]
    [InlineData("Beijing University of Aeronautics & Astronautics", "501")]
    [InlineData("Beihang University", "501")]
    [InlineData("Harbin Engineering University", "540")]
    [InlineData("Harbin Institute of Technology", "541")]
    [InlineData("Northwestern Polytechnical University", "559")]
    public void Check_EveryListLoaded_EndUserListEntryGivesItsGround(string endUser, string entry)
    {
        var result = CheckJapanToChina(endUser);

        Assert.Equal(EndUserStatus.Listed, result.EndUser.Status);
        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
        Assert.Contains(result.Determination.Grounds, g => g.Kind == RequirementKind.EndUser);
        Assert.Equal(("meti-eul", entry), (result.EndUser.ListEntry!.ListId, result.EndUser.ListEntry.EntityId));
    }

    [Theory]
    [InlineData("Harbin Institute of Technology Weihai", "541")]
    [InlineData("Beihang University Hospital", "501")]
    public void Check_PossibleMatch_IndeterminateNamingEndUserReviewAndTheEntry(string endUser, string entry)
    {
        var result = CheckJapanToChina(endUser);

        Assert.Equal(EndUserStatus.PossibleMatch, result.EndUser.Status);
        Assert.InRange(result.EndUser.ListEntry!.Score, ScreeningIndex.DefaultThreshold, EndUserScreening.StrongMatch);
        Assert.Equal(entry, result.EndUser.ListEntry.EntityId);
        Assert.Equal(Verdict.Indeterminate, result.Determination.Verdict);
        Assert.Contains(result.Determination.MissingFacts, f => f.StartsWith("end_user_review", StringComparison.Ordinal));
        Assert.StartsWith("possible match: review required", result.EndUser.Effect(result.EndUser.ListEntry, isGround: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PossibleMatchConfirmed_EndUserGround()
    {
        var result = CheckJapanToChina("Harbin Institute of Technology Weihai", EndUserDecision.Confirmed);

        Assert.Equal(EndUserStatus.Listed, result.EndUser.Status);
        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
        Assert.Contains(result.Determination.Grounds, g => g.Kind == RequirementKind.EndUser);
        Assert.StartsWith("possible match confirmed", result.EndUser.Effect(result.EndUser.ListEntry!, isGround: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PossibleMatchCleared_NoEndUserGround()
    {
        var result = CheckJapanToChina("Harbin Institute of Technology Weihai", EndUserDecision.Cleared);

        Assert.Equal(EndUserStatus.Clear, result.EndUser.Status);
        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
        Assert.DoesNotContain(result.Determination.Grounds, g => g.Kind == RequirementKind.EndUser);
    }

    [Fact]
    public void Check_DecisionOnStrongMatch_Ignored()
    {
        var result = CheckJapanToChina("Harbin Engineering University", EndUserDecision.Cleared);

        Assert.Equal(EndUserStatus.Listed, result.EndUser.Status);
        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
    }

    [Fact]
    public void Check_OtherListsOnly_WarningsNeverDecide()
    {
        // On the Entity List (csl-el), not on METI's End User List: reported, but the end user is clear for Japan.
        var result = CheckJapanToChina("Sichuan University");

        Assert.Equal(EndUserStatus.Clear, result.EndUser.Status);
        var warning = Assert.Single(result.EndUser.Matches, m => m.EntityId == "2505");
        Assert.StartsWith("warning:", result.EndUser.Effect(warning, isGround: false), StringComparison.Ordinal);
        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
    }
}
