namespace Clearance.Benchmarks.Screening;

/// <summary>
/// Generated ordinary Japanese, Korean and Chinese people and companies (on no list) as a customer master in Tokyo, Seoul
/// or Shanghai writes them: in kanji, kana, Hangul and Hanzi (田中太郎, タナカ・タロウ, 김민준, 王芳, 株式会社東芝-like
/// names, 삼성전자-like names). Fixed seed. Sources of the word lists: Japanese surnames, the most common surnames in
/// Japan (Meiji Yasuda Life name survey, as listed on ja.wikipedia.org/wiki/日本の苗字の一覧); Japanese given names, the
/// Meiji Yasuda Life ranking of names given to babies (2010s-2020s); Korean surnames, Statistics Korea's 2015 census
/// (김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황); Korean given names, the Supreme Court of Korea's most registered
/// names (2008-2023); Chinese surnames, the Ministry of Public Security's 2020 surname report (王 李 张 刘 陈 杨 黄 赵
/// 吴 周 徐 孙); Chinese given names, the most frequent full names in that report (张伟, 王伟, 王芳, 李伟, 李娜, 张敏...);
/// company words, the words of the names of large listed companies of each country (Nikkei 225, KOSPI 200, CSI 300).
/// </summary>
internal static class OrdinaryCjkParties
{
    private static readonly string[] JapaneseSurnames =
        ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"];

    private static readonly string[] JapaneseGivenNames =
        ["太郎", "一郎", "蓮", "陽翔", "湊", "大翔", "悠真", "花子", "陽葵", "凛", "結菜", "葵", "芽依", "美咲", "翔太", "健太", "直樹", "由美", "恵子", "裕子"];

    private static readonly string[] JapaneseSurnamesKana =
        ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ"];

    private static readonly string[] JapaneseGivenNamesKana =
        ["タロウ", "イチロウ", "レン", "ハルト", "ミナト", "ユウマ", "ハナコ", "ヒマリ", "リン", "ユイナ", "アオイ", "ミサキ"];

    private static readonly string[] KoreanSurnames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황"];

    private static readonly string[] KoreanGivenNames =
        ["민준", "서준", "도윤", "예준", "시우", "하준", "지호", "서연", "서윤", "지우", "하은", "민서", "지민", "수빈", "현우", "지훈", "영수", "영희", "미영", "성민"];

    private static readonly string[] ChineseSurnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];

    private static readonly string[] ChineseGivenNames =
        ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "桂英", "建华", "志强"];

    private static readonly string[] JapaneseCompanyStems =
        ["東芝", "日立", "東京", "大阪", "日本", "三菱", "住友", "三井", "富士", "中部", "北陸", "関西", "山田", "鈴木", "丸紅", "新日本", "東邦", "大和"];

    private static readonly string[] JapaneseCompanyWords =
        ["電機", "製作所", "商事", "化学", "工業", "建設", "物産", "電子", "精機", "食品", "運輸", "不動産", "製薬", "自動車", "重工業", "電力"];

    private static readonly string[] JapaneseLegalForms = ["株式会社", "(株)", "有限会社", "合同会社"];

    private static readonly string[] KoreanCompanyStems = ["삼성", "현대", "한국", "대한", "서울", "부산", "동아", "대우", "한화", "신한", "우리", "세종"];

    private static readonly string[] KoreanCompanyWords = ["전자", "건설", "중공업", "화학", "물산", "제약", "식품", "해운", "상사", "기계", "통신", "증권"];

    private static readonly string[] KoreanLegalForms = ["주식회사", "(주)", "유한회사", ""];

    private static readonly string[] ChineseCompanyStems = ["北京", "上海", "深圳", "广州", "浙江", "江苏", "华信", "中兴", "宏达", "新华", "长城", "东方"];

    private static readonly string[] ChineseCompanyWords = ["科技", "贸易", "电子", "机械", "化工", "实业", "建设", "物流", "食品", "医药", "纺织", "投资"];

    private static readonly string[] ChineseLegalForms = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"];

    /// <summary>Ordinary people: (name, country, birth date), written as each country writes names (family name first).</summary>
    public static IEnumerable<(string Name, string Country, string BirthDate)> People(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            (string name, string country) = random.Next(4) switch
            {
                0 => (Pick(JapaneseSurnames, random) + Pick(JapaneseGivenNames, random), "JP"),
                1 => (Pick(JapaneseSurnamesKana, random) + "・" + Pick(JapaneseGivenNamesKana, random), "JP"),
                2 => (Pick(KoreanSurnames, random) + Pick(KoreanGivenNames, random), "KR"),
                _ => (Pick(ChineseSurnames, random) + Pick(ChineseGivenNames, random), "CN"),
            };
            var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(65 * 365));
            yield return (name, country, birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Ordinary companies: (name, country), a stem, an industry word and a legal form, in the country's order.</summary>
    public static IEnumerable<(string Name, string Country)> Companies(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            yield return random.Next(3) switch
            {
                0 => random.Next(2) == 0
                    ? (Pick(JapaneseLegalForms, random) + Pick(JapaneseCompanyStems, random) + Pick(JapaneseCompanyWords, random), "JP")
                    : (Pick(JapaneseCompanyStems, random) + Pick(JapaneseCompanyWords, random) + Pick(JapaneseLegalForms, random), "JP"),
                1 => ((Pick(KoreanCompanyStems, random) + Pick(KoreanCompanyWords, random) + " " + Pick(KoreanLegalForms, random)).Trim(), "KR"),
                _ => (Pick(ChineseCompanyStems, random) + Pick(ChineseCompanyWords, random) + Pick(ChineseLegalForms, random), "CN"),
            };
        }
    }

    private static string Pick(string[] words, Random random) => words[random.Next(words.Length)];
}
