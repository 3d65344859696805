using Clearance.Screening.Lists;
using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

/// <summary>
/// Names as a Japanese, Korean or Chinese compliance team writes them, screened against real lists read in place
/// (issue 14): the OFAC SDN list of 2024-05-03, the Consolidated Screening List of 2026-07-31 and the METI End User List.
/// </summary>
public class CjkScreeningTests
{
    private static readonly Lazy<ScreeningIndex> Index = new(() => ScreeningIndex.Build(
    [
        .. ListFiles.ParseAny("ofac-csv", [SharedLists.Path("ofac_sdn", "sdn_2024-05-03.csv")]),
        .. ListFiles.ParseAny("csl-csv", [SharedLists.Path("csl_full", "consolidated_2026-07-31.csv")]),
        .. ListFiles.ParseAny("meti-eul", [SharedLists.Path("meti_eul", "meti_eul_2025-09-29.csv")]),
    ]));

    [Theory]
    [InlineData("金正恩", null, "ofac-sdn", "KIM, Jong Un")]
    [InlineData("金正恩", "KP", "ofac-sdn", "KIM, Jong Un")]
    [InlineData("キム・ジョンウン", null, "ofac-sdn", "KIM, Jong Un")]
    [InlineData("きむ・じょんうん", null, "ofac-sdn", "KIM, Jong Un")]
    [InlineData("김정은", null, "ofac-sdn", "KIM, Jong Un")]
    [InlineData("李炳哲", null, "ofac-sdn", "RI, Pyong Chol")]
    [InlineData("리병철", "KP", "ofac-sdn", "RI, Pyong Chol")]
    [InlineData("金与正", null, "ofac-sdn", "KIM, Yo Jong")]
    [InlineData("セルゲイ・ラブロフ", "RU", "ofac-sdn", "LAVROV, Sergei Viktorovich")]
    [InlineData("세르게이 라브로프", null, "ofac-sdn", "LAVROV, Sergei Viktorovich")]
    [InlineData("블라디미르 푸틴", null, "ofac-sdn", "PUTIN, Vladimir Vladimirovich")]
    [InlineData("ズベルバンク", null, "ofac-sdn", "JOINT STOCK COMPANY SBERBANK")]
    [InlineData("ズベルバンク", null, "csl-sdn", "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA")]
    [InlineData("ロスオボロンエクスポルト", null, "ofac-sdn", "ROSOBORONEKSPORT OAO")]
    [InlineData("ウラジーミル・プーチン", null, "ofac-sdn", "PUTIN, Vladimir Vladimirovich")]
    [InlineData("アルカジー・ローテンベルク", "RU", "ofac-sdn", "ROTENBERG, Arkady Romanovich")]
    [InlineData("ハサン・ナスルッラーフ", null, "ofac-sdn", "NASRALLAH, Hasan")]
    [InlineData("イスマーイール・ハニーヤ", null, "ofac-sdn", "HANIYEH, Ismail")]
    [InlineData("崔竜海", null, "ofac-sdn", "CHOE, Ryong Hae")]
    [InlineData("崔龍海", null, "ofac-sdn", "CHOE, Ryong Hae")]
    [InlineData("崔龙海", null, "ofac-sdn", "CHOE, Ryong Hae")]
    [InlineData("チェ・リョンヘ", null, "ofac-sdn", "CHOE, Ryong Hae")] // エ for ㅚ and ㅐ: the Korean-vowel reading
    [InlineData("ロステック", null, "ofac-sdn", "STATE CORPORATION ROSTEC")] // ク for c
    [InlineData("華為技術", null, "csl-el", "Huawei Technologies Co., Ltd.")]
    [InlineData("华为技术", "CN", "csl-el", "Huawei Technologies Co., Ltd.")]
    public void Screen_CjkRenderingOfAListedName_Found(string name, string? country, string list, string primaryName)
    {
        IReadOnlyList<ScreeningMatch> matches = Index.Value.Screen(new ScreeningQuery(name, country, Limit: 50));

        // One hit per listed party: the list may be any of the party's listings, the name that of that listing.
        Assert.Contains(matches, m => m.Listings.Any(l => l.ListId == list && l.PrimaryName == primaryName));
    }

    [Theory]
    [InlineData("田中太郎", "JP")]
    [InlineData("鈴木一郎", "JP")]
    [InlineData("佐藤花子", "JP")]
    [InlineData("タナカ・タロウ", "JP")]
    // Japanese names that the Russian and Arabic kana rules read otherwise too: ウラ (→ vra), エ (→ ye), ジ (→ di),
    // a final a (→ ah).
    [InlineData("ウラタ・ケンジ", "JP")]
    [InlineData("エノモト・ユウジ", "JP")]
    [InlineData("ハヤシ・マリア", "JP")]
    [InlineData("ナカムラ・ヒロシ", "JP")]
    [InlineData("ウラタ・ケンジ", null)]
    [InlineData("エノモト・ユウジ", null)]
    [InlineData("김민준", "KR")]
    [InlineData("이서연", "KR")]
    [InlineData("王芳", "CN")]
    [InlineData("李娜", "CN")]
    [InlineData("田中太郎", null)]
    [InlineData("王芳", null)]
    [InlineData("김민준", null)]
    public void Screen_OrdinaryCjkPerson_NotFound(string name, string? country)
    {
        // As the false-alarm evaluation screens ordinary people: a person with a birth date, and the nationality when known.
        IReadOnlyList<ScreeningMatch> matches = Index.Value.Screen(new ScreeningQuery(name, country, EntityKind.Person, "1980-04-01"));

        Assert.True(matches.Count == 0, $"{name}: {string.Join("; ", matches.Select(m => $"{m.ListId}/{m.EntityId} {m.MatchedName} {m.Score:0.000}"))}");
    }

    [Theory]
    [InlineData("株式会社東芝", "JP")]
    [InlineData("トヨタ自動車株式会社", "JP")]
    [InlineData("삼성전자", "KR")]
    [InlineData("삼성전자 주식회사", "KR")]
    [InlineData("株式会社東芝", null)]
    [InlineData("삼성전자", null)]
    public void Screen_OrdinaryCjkCompany_NotFound(string name, string? country)
    {
        IReadOnlyList<ScreeningMatch> matches = Index.Value.Screen(new ScreeningQuery(name, country, EntityKind.Organization));

        Assert.True(matches.Count == 0, $"{name}: {string.Join("; ", matches.Select(m => $"{m.ListId}/{m.EntityId} {m.MatchedName} {m.Score:0.000}"))}");
    }

    [Theory]
    [InlineData("金正恩")]
    [InlineData("キム・ジョンウン")]
    [InlineData("華為技術")]
    [InlineData("株式会社東芝")]
    [InlineData("ズベルバンク")]
    [InlineData("王芳")]
    public void Screen_CjkName_SameMatchesAsTheFullScan(string name)
    {
        // The readings go through the same retrieval and bound as any name: the index must agree with scoring every name.
        var query = new ScreeningQuery(name, Threshold: 0.6, Limit: 20);

        IReadOnlyList<ScreeningMatch> expected = Index.Value.ScreenFullScan(query, out int expectedTotal);
        IReadOnlyList<ScreeningMatch> actual = Index.Value.Screen(query, out int total);

        Assert.Equal(expected.Select(m => (m.ListId, m.EntityId, m.Score)), actual.Select(m => (m.ListId, m.EntityId, m.Score)));
        Assert.Equal(expectedTotal, total);
    }
}
