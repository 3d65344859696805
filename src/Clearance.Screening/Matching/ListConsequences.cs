using System.Collections.Frozen;

namespace Clearance.Screening.Matching;

/// <summary>What being on a list means for a party's trade, from the gravest.</summary>
public enum ListConsequence
{
    /// <summary>Dealings are prohibited: property blocked or frozen, export privileges denied, debarred.</summary>
    Prohibition,
    /// <summary>An export to the party needs a licence (or a licence application) the item would not otherwise need.</summary>
    LicenceRequirement,
    /// <summary>Narrower restrictions (sectoral directives, securities, correspondent accounts), due-diligence lists and others.</summary>
    Other,
}

/// <summary>
/// The legal consequence of each list, which orders the listings of a party that several lists carry (one hit per
/// listed entity: <see cref="ScreeningMatch.Listings"/>): prohibitions first, then licence requirements, then the rest;
/// within one consequence the issuing authority's own list before the copies of it in the Consolidated Screening List.
/// </summary>
public static class ListConsequences
{
    /// <summary>One list's consequence and the law that gives it.</summary>
    /// <param name="ListId">The list id as the parsers give it.</param>
    /// <param name="Consequence">What being on it means.</param>
    /// <param name="Citation">The legal basis.</param>
    public sealed record Entry(string ListId, ListConsequence Consequence, string Citation);

    /// <summary>The table, in the order listings are shown (lists not in it come after, in ordinal order).</summary>
    public static readonly IReadOnlyList<Entry> Table =
    [
        new("ofac-sdn", ListConsequence.Prohibition, "31 CFR Chapter V (e.g. 31 CFR 501.807, 594.201): property and interests in property blocked"),
        new("un-sc", ListConsequence.Prohibition, "UN Security Council resolutions under Chapter VII of the UN Charter: assets frozen, travel banned"),
        new("eu-fsf", ListConsequence.Prohibition, "EU Council regulations under Article 215 TFEU: funds and economic resources frozen"),
        new("uk-sanctions", ListConsequence.Prohibition, "Sanctions and Anti-Money Laundering Act 2018 regulations: asset freeze"),
        new("csl-sdn", ListConsequence.Prohibition, "Consolidated Screening List copy of the OFAC SDN List (31 CFR Chapter V)"),
        new("bis-dpl", ListConsequence.Prohibition, "EAR 15 CFR 764.3(a)(2) and 766.25: denial order, export privileges denied"),
        new("csl-dpl", ListConsequence.Prohibition, "Consolidated Screening List copy of the BIS Denied Persons List (15 CFR 764.3)"),
        new("csl-dtc", ListConsequence.Prohibition, "ITAR 22 CFR 127.7: debarred from participating in defence-article exports"),
        new("csl-isn", ListConsequence.Prohibition, "Nonproliferation sanctions (INKSNA, EO 12938, EO 13382): procurement and export bans as each determination states"),
        new("csl-el", ListConsequence.LicenceRequirement, "EAR 15 CFR 744.11 and Supplement No. 4 to Part 744: licence required for items subject to the EAR"),
        new("csl-meu", ListConsequence.LicenceRequirement, "EAR 15 CFR 744.21 and Supplement No. 7 to Part 744: licence required for listed items"),
        new("meti-eul", ListConsequence.LicenceRequirement, "Japan, Foreign Exchange and Foreign Trade Act Art. 48 and Export Trade Control Order Appended Table 1 row 16 (catch-all): a listed end user meets the end-user requirement, so a licence is needed unless the goods are clearly not for WMD use"),
        new("csl-uvl", ListConsequence.Other, "EAR 15 CFR 744.15: licence exceptions unavailable, UVL statement required before export"),
        new("ofac-nonsdn", ListConsequence.Other, "OFAC non-SDN lists: the restrictions of each directive or programme"),
        new("csl-ssi", ListConsequence.Other, "EO 13662 directives: restrictions on new debt and equity"),
        new("csl-cmic", ListConsequence.Other, "EO 13959 as amended by EO 14032: purchase of publicly traded securities prohibited"),
        new("csl-ns-mbs", ListConsequence.Other, "Non-SDN menu-based sanctions: the menu options imposed"),
        new("csl-cap", ListConsequence.Other, "31 CFR 561.201: correspondent or payable-through accounts restricted"),
        new("csl-plc", ListConsequence.Other, "Palestinian Legislative Council list: dealings permitted under general licence, reviewed"),
    ];

    private static readonly FrozenDictionary<string, int> Ranks =
        Table.Select((entry, i) => (entry.ListId, i)).ToFrozenDictionary(p => p.ListId, p => p.i, StringComparer.Ordinal);

    /// <summary>The consequence of <paramref name="listId"/>; <see cref="ListConsequence.Other"/> for a list not in the table.</summary>
    /// <param name="listId">A list id.</param>
    public static ListConsequence Of(string listId) =>
        Ranks.TryGetValue(listId, out int rank) ? Table[rank].Consequence : ListConsequence.Other;

    /// <summary>Orders list ids gravest first: the table's order, then lists not in it in ordinal order.</summary>
    /// <param name="a">A list id.</param>
    /// <param name="b">Another.</param>
    public static int Compare(string a, string b)
    {
        int rankA = Ranks.TryGetValue(a, out int ra) ? ra : int.MaxValue;
        int rankB = Ranks.TryGetValue(b, out int rb) ? rb : int.MaxValue;
        return rankA != rankB ? rankA.CompareTo(rankB) : string.CompareOrdinal(a, b);
    }
}
