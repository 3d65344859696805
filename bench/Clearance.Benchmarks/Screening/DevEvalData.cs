using Clearance.Application;
using Clearance.Screening;

namespace Clearance.Benchmarks.Screening;

/// <summary>A labelled pair of names from the dev-eval benchmark.</summary>
internal sealed record LabelledPair(string Group, EntityKind Kind, string Name1, string Name2, bool IsMatch, string Quality);

/// <summary>Finds ../shared/lists and reads the dev-eval files.</summary>
internal static class DevEvalData
{
    public static string ListsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "lists");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No shared/lists above " + AppContext.BaseDirectory);
    }

    public static EntityKind KindOfSchema(string schema) => schema switch
    {
        "Person" => EntityKind.Person,
        "Company" or "Organization" or "LegalEntity" => EntityKind.Organization,
        "Vessel" => EntityKind.Vessel,
        "Airplane" => EntityKind.Aircraft,
        _ => EntityKind.Unknown,
    };

    public static IReadOnlyList<LabelledPair> NameBenchCases()
    {
        string path = Path.Combine(ListsDirectory(), "dev-eval", "contrib_name_bench_cases.csv");
        return CsvRows(path)
            .Skip(1)
            .Where(r => r.Length >= 6)
            .Select(r => new LabelledPair(r[0], KindOfSchema(r[1]), r[2], r[3], r[4] == "true", r[5]))
            .ToList();
    }

    /// <summary>The records of a CSV file, read with the list parsers' RFC 4180 reader.</summary>
    public static IEnumerable<string[]> CsvRows(string path)
    {
        using var reader = new Clearance.Screening.Lists.DelimitedReader(new StreamReader(path), path);
        var fields = new List<string>();
        while (reader.TryRead(fields))
        {
            yield return [.. fields];
        }
    }

    /// <summary>Splits the pairs in two halves, each case group shuffled with the seed and cut in the middle.</summary>
    public static (IReadOnlyList<LabelledPair> First, IReadOnlyList<LabelledPair> Second) SplitHalves(IReadOnlyList<LabelledPair> pairs, int seed)
    {
        var random = new Random(seed);
        var first = new List<LabelledPair>();
        var second = new List<LabelledPair>();
        foreach (var group in pairs.GroupBy(p => p.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            LabelledPair[] members = [.. group];
            random.Shuffle(members);
            int half = (members.Length + 1) / 2;
            first.AddRange(members[..half]);
            second.AddRange(members[half..]);
        }

        return (first, second);
    }
}
