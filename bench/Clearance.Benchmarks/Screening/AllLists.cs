using Clearance.Screening;
using Clearance.Screening.Lists;

namespace Clearance.Benchmarks.Screening;

/// <summary>Every list file of ../shared/lists (dev-eval excepted), parsed with the project's parsers.</summary>
internal static class AllLists
{
    public static (string Format, string[] Paths)[] Files()
    {
        string root = DevEvalData.ListsDirectory();
        string P(params string[] parts) => Path.Combine([root, .. parts]);
        return
        [
            ("csl-csv", [P("csl_full", "consolidated_2026-07-31.csv")]),
            ("ofac-csv", [P("ofac_sdn", "sdn_2024-05-03.csv")]),
            ("ofac-csv", [P("ofac_consolidated_nonsdn", "cons_prim.csv"), P("ofac_consolidated_nonsdn", "cons_add.csv"),
                P("ofac_consolidated_nonsdn", "cons_alt.csv"), P("ofac_consolidated_nonsdn", "cons_comments.csv")]),
            ("un-xml", [P("un", "UN_consolidated_2026-02-27.xml")]),
            ("bis-dpl", [P("csl_bis", "bis_dpl.txt")]),
            ("meti-eul", [P("meti_eul", "meti_eul_2025-09-29.csv")]),
            ("meti-eul", [P("meti_eul", "meti_eul_names_2024-04.csv")]),
            ("ftm", [P("opensanctions_ftm", "zala_entities.ftm.json")]),
        ];
    }

    public static List<ListEntity> Load()
    {
        var entities = new List<ListEntity>();
        foreach ((string format, string[] paths) in Files())
        {
            entities.AddRange(ListFiles.ParseAny(format, paths));
        }

        return entities;
    }
}
