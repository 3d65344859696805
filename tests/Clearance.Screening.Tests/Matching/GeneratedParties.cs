using System.Text;

namespace Clearance.Screening.Tests.Matching;

/// <summary>Deterministic synthetic list entries and query names for index tests (fixed seeds).</summary>
internal static class GeneratedParties
{
    private static readonly string[] Given =
    [
        "Vladimir", "Olga", "Mohammed", "Muhammad", "Ali", "Hassan", "Kim", "Jong", "Li", "Wei", "Hans", "Anna",
        "Sergey", "Ivan", "Ahmad", "Yusuf", "Maria", "John", "Peter", "Omar", "Fatima", "Abdul", "Aziz", "Chen",
    ];

    private static readonly string[] Family =
    [
        "Petrov", "Ivanov", "Rahman", "Hussein", "Tikriti", "Karimi", "Zhang", "Wang", "Park", "Lee", "Schmidt",
        "Muller", "Lavrov", "Smirnov", "Nooristani", "Haqqani", "Mansour", "Obama", "Rotenberg", "Baranov",
    ];

    private static readonly string[] OrgWords =
    [
        "Trading", "Shipping", "Aerospace", "Precision", "Machinery", "Electronics", "Industrial", "Research",
        "Institute", "Global", "Petro", "Chemical", "Nuclear", "Missile", "Tactical", "Systems", "Beijing", "Tehran",
        "Pyongyang", "Moscow", "Dalian", "Harbin", "Caspian", "Orient", "Star", "Lotus", "Falcon", "Phoenix",
    ];

    private static readonly string[] LegalForms = ["Co., Ltd.", "LLC", "JSC", "GmbH", "Inc.", "OOO", "Limited", "S.A.", "株式会社", ""];

    private static readonly string[] Scripts = ["Иван Петров", "김정은", "박지성", "北京航空航天大学", "محمد علي", "Сергей Лавров"];

    private static readonly string[] CountryCodes = ["CN", "RU", "IR", "KP", "SY", "DE", "US", "JP", "KR"];

    public static List<ListEntity> Entities(int count, int seed)
    {
        var random = new Random(seed);
        var entities = new List<ListEntity>(count);
        for (int i = 0; i < count; i++)
        {
            bool person = random.Next(2) == 0;
            string primary = person ? PersonName(random) : OrganizationName(random);
            var aliases = new List<EntityAlias>();
            int aliasCount = random.Next(3);
            for (int a = 0; a < aliasCount; a++)
            {
                string alias = random.Next(6) == 0
                    ? Scripts[random.Next(Scripts.Length)]
                    : Mutate(primary, random);
                aliases.Add(new EntityAlias(alias, random.Next(4) == 0 ? AliasStrength.Weak : AliasStrength.Strong));
            }

            string[] countries = random.Next(3) == 0 ? [] : [CountryCodes[random.Next(CountryCodes.Length)]];
            string[] births = person && random.Next(2) == 0 ? [(1940 + random.Next(60)).ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
            entities.Add(new ListEntity(
                random.Next(2) == 0 ? "list-a" : "list-b",
                i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                person ? EntityKind.Person : EntityKind.Organization,
                primary, aliases, [], countries, births, [], [], null, null));
        }

        return entities;
    }

    public static string PersonName(Random random) =>
        random.Next(3) == 0
            ? $"{Family[random.Next(Family.Length)].ToUpperInvariant()}, {Given[random.Next(Given.Length)]} {Given[random.Next(Given.Length)]}"
            : $"{Given[random.Next(Given.Length)]} {Family[random.Next(Family.Length)]}";

    public static string OrganizationName(Random random)
    {
        var words = new List<string>();
        int n = 1 + random.Next(3);
        for (int i = 0; i < n; i++)
        {
            words.Add(OrgWords[random.Next(OrgWords.Length)]);
        }

        words.Add(LegalForms[random.Next(LegalForms.Length)]);
        return string.Join(' ', words).Trim();
    }

    public static string RandomQuery(Random random) => random.Next(5) switch
    {
        0 => PersonName(random),
        1 => OrganizationName(random),
        2 => Scripts[random.Next(Scripts.Length)],
        _ => Given[random.Next(Given.Length)] + " " + OrgWords[random.Next(OrgWords.Length)],
    };

    /// <summary>A typo, a swapped pair of words, a dropped or doubled letter, or nothing.</summary>
    public static string Mutate(string name, Random random)
    {
        var text = new StringBuilder(name);
        switch (random.Next(6))
        {
            case 0 when text.Length > 3:
                text.Remove(1 + random.Next(text.Length - 2), 1);
                break;
            case 1 when text.Length > 3:
                int at = 1 + random.Next(text.Length - 2);
                text[at] = (char)('a' + random.Next(26));
                break;
            case 2 when text.Length > 3:
                int p = 1 + random.Next(text.Length - 3);
                (text[p], text[p + 1]) = (text[p + 1], text[p]);
                break;
            case 3:
                string[] words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Array.Reverse(words);
                return string.Join(' ', words);
            case 4 when text.Length > 2:
                int d = random.Next(text.Length);
                text.Insert(d, text[d]);
                break;
        }

        return text.ToString();
    }

    /// <summary>Picks a query: a mutated list name (two in three) or a random name.</summary>
    public static string QueryFor(IReadOnlyList<ListEntity> entities, Random random)
    {
        if (random.Next(3) == 0)
        {
            return RandomQuery(random);
        }

        ListEntity entity = entities[random.Next(entities.Count)];
        string name = entity.Aliases.Count > 0 && random.Next(2) == 0 ? entity.Aliases[random.Next(entity.Aliases.Count)].Name : entity.PrimaryName;
        return Mutate(Mutate(name, random), random);
    }
}
