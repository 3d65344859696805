using System.Text;
using Clearance.Screening.Lists;
using Xunit.Abstractions;

namespace Clearance.Screening.Tests.Lists;

/// <summary>
/// A seeded mutation loop over the real list files, one per parser (issue 7): the head of a real file (cut at a line
/// boundary) is mutated by byte flips, insertions of hostile bytes, deletions, duplicated and truncated spans, repeated
/// lines and lines cut in half, and every parse must end, within a time bound, either with a clean
/// <see cref="ListFormatException"/> (short message) or with entities that each have an id and a name. Besides each
/// format's main file: OFAC's companion files (SDN and non-SDN consolidated), FtM delta files and the delta index.
/// A failure names the format, seed and mutation index: <see cref="Mutate"/> with them rebuilds the input.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    /// <summary>Mutated inputs per seed file; the class runs in about a minute on two cores (18 seed files).</summary>
    private const int Iterations = 1000;

    /// <summary>Bytes of the real file the mutations start from (cut back to a line boundary).</summary>
    private const int SeedBytes = 64 * 1024;

    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(5);

    /// <summary>Bytes an insertion picks from: NUL, Ctrl-Z, an invalid UTF-8 byte, quoting and markup characters, line ends.</summary>
    private static readonly byte[] Hostile = [0x00, 0x1A, 0xFF, 0xFE, 0xC3, 0xE9, 0x80, (byte)'"', (byte)'\'', (byte)'<', (byte)'>', (byte)'&', (byte)';',
        (byte)'\n', (byte)'\r', (byte)',', (byte)'\t', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)'\\', (byte)'/', (byte)'-'];

    public static TheoryData<string, int> Formats => new()
    {
        { OfacCsvParser.Format, 7001 },
        { UnXmlParser.Format, 7002 },
        { BisDplParser.Format, 7003 },
        { CslCsvParser.Format, 7004 },
        { FtmParser.Format, 7005 },
        { MetiEulParser.Format, 7006 },
        { EuFsfXmlParser.Format, 7007 },
        { UkSanctionsXmlParser.Format, 7008 },
        { OwnCsvParser.Format, 7009 },
        { FtmDelta, 7010 },
        { OfacAddresses, 7011 },
        { OfacAliases, 7012 },
        { OfacComments, 7013 },
        { OfacConsolidated, 7014 },
        { OfacConsolidatedAddresses, 7015 },
        { OfacConsolidatedAliases, 7016 },
        { OfacConsolidatedComments, 7017 },
        { FtmDeltaIndex, 7018 },
    };

    // Beyond the formats' main files: FtM delta files, and OFAC's companion files read beside an intact sdn.csv.
    private const string FtmDelta = "ftm-delta";
    private const string OfacAddresses = "ofac-csv-add";
    private const string OfacAliases = "ofac-csv-alt";
    private const string OfacComments = "ofac-csv-comments";
    private static readonly string Ofac2021 = SharedListFiles.Path("ofac_sdn", "watchman_bench_2021");

    // The non-SDN consolidated list (cons_prim.csv) and its companions, read beside an intact cons_prim.csv; and the FtM
    // delta index (delta.json), read with the real delta files of its versions beside it, as an import reads it.
    private const string OfacConsolidated = "ofac-csv-cons";
    private const string OfacConsolidatedAddresses = "ofac-csv-cons-add";
    private const string OfacConsolidatedAliases = "ofac-csv-cons-alt";
    private const string OfacConsolidatedComments = "ofac-csv-cons-comments";
    private const string FtmDeltaIndex = "ftm-delta-index";
    private static readonly string OfacConsolidatedFolder = SharedListFiles.Path("ofac_consolidated_nonsdn");
    private static readonly string DeltaSeries = SharedListFiles.Path("opensanctions_ftm", "t2");

    [Theory]
    [MemberData(nameof(Formats))]
    public void The_unmutated_seed_parses_into_entities(string format, int seed)
    {
        _ = seed;
        var (name, bytes) = SeedOf(format);
        using var dir = new TempDirectory();
        var entities = Parse(format, dir.WriteBytes(name, bytes)).ToList();
        Assert.NotEmpty(entities);
        Assert.All(entities, AssertWellFormed);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Mutated_real_files_end_in_entities_or_a_clean_error(string format, int seed)
    {
        var (name, original) = SeedOf(format);
        using var dir = new TempDirectory();
        var started = System.Diagnostics.Stopwatch.StartNew();
        int clean = 0, parsed = 0, entityCount = 0;
        for (var index = 0; index < Iterations; index++)
        {
            var path = dir.WriteBytes(name, Mutate(original, seed, index));
            (int Count, Exception? Error) outcome;
            try
            {
                outcome = await Task.Run(() => Run(format, path)).WaitAsync(PerInputBound);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{format}: seed {seed}, mutation {index}: the parse did not end within {PerInputBound.TotalSeconds} s");
                throw;
            }
            var (count, error) = outcome;
            switch (error)
            {
                case null:
                    parsed++;
                    entityCount += count;
                    break;
                case ListFormatException e:
                    Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{format}: seed {seed}, mutation {index}: empty message");
                    Assert.True(e.Message.Length < 1_000,
                        $"{format}: seed {seed}, mutation {index}: message of {e.Message.Length} characters: {e.Message[..Math.Min(300, e.Message.Length)]}...");
                    clean++;
                    break;
                default:
                    Assert.Fail($"{format}: seed {seed}, mutation {index}: {error.GetType().FullName} instead of a ListFormatException: {error}");
                    break;
            }
        }
        output.WriteLine($"{format}: {Iterations} inputs from {original.Length} bytes, {parsed} parsed ({entityCount} entities), " +
            $"{clean} clean errors, {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Found by the loop (ftm, seed 7005, mutation 105): the JSON reader's message quoted 2,500 characters of the line.
    /// </summary>
    [Theory]
    [InlineData(FtmParser.Format, 7005, 105)]
    public void A_clean_error_quotes_at_most_a_short_piece_of_the_input(string format, int seed, int index)
    {
        var (name, original) = SeedOf(format);
        using var dir = new TempDirectory();
        var path = dir.WriteBytes(name, Mutate(original, seed, index));

        var e = Assert.Throws<ListFormatException>(() => ListFiles.ParseAny(format, [path]).ToList());

        Assert.True(e.Message.Length < 1_000, e.Message);
        Assert.Contains("not a JSON object", e.Message);
    }

    /// <summary>Parses <paramref name="path"/> to the end, checking each entity; returns the count, or the exception that ended it.</summary>
    private static (int Count, Exception? Error) Run(string format, string path)
    {
        var count = 0;
        try
        {
            foreach (var entity in Parse(format, path))
            {
                AssertWellFormed(entity);
                count++;
            }
            return (count, null);
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw;
        }
        catch (Exception e)
        {
            return (count, e);
        }
    }

    /// <summary>
    /// The entities parsed from <paramref name="path"/>: for a delta file those its ADD/MOD lines carry (each change checked
    /// for an id); for an OFAC companion file, the intact sdn.csv head written beside it, completed by it.
    /// </summary>
    private static IEnumerable<ListEntity> Parse(string format, string path)
    {
        switch (format)
        {
            case FtmDelta:
                return FtmParser.ParseChanges(path).Select(change =>
                {
                    Assert.False(string.IsNullOrWhiteSpace(change.EntityId), $"change without an id: {change}");
                    return change.Entity;
                }).OfType<ListEntity>();
            case OfacAddresses or OfacAliases or OfacComments:
                return OfacCsvParser.Parse([Beside(path, "sdn.csv", Path.Combine(Ofac2021, "sdn.csv"))]);
            case OfacConsolidated:
                return OfacCsvParser.Parse([path]);
            case OfacConsolidatedAddresses or OfacConsolidatedAliases or OfacConsolidatedComments:
                return OfacCsvParser.Parse([Beside(path, "cons_prim.csv", Path.Combine(OfacConsolidatedFolder, "cons_prim.csv"))]);
            case FtmDeltaIndex:
                var folder = Path.GetDirectoryName(path)!;
                foreach (var version in Directory.GetDirectories(DeltaSeries))
                {
                    var target = Path.Combine(folder, Path.GetFileName(version), "entities.delta.json");
                    if (File.Exists(target))
                        continue;
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(Path.Combine(version, "entities.delta.json"), target);
                }
                // As an import reads it: the files a (still) valid index names, each read through first; else a full list.
                return ListFiles.DeltaFiles(FtmParser.Format, path) is { } files
                    ? files.SelectMany(file => FtmParser.ParseChanges(file)).Select(change => change.Entity).OfType<ListEntity>()
                    : FtmParser.Parse(path);
            default:
                return ListFiles.ParseAny(format, [path]);
        }
    }

    /// <summary>The intact head of <paramref name="source"/> as <paramref name="name"/> beside <paramref name="path"/> (written once).</summary>
    private static string Beside(string path, string name, string source)
    {
        var primary = Path.Combine(Path.GetDirectoryName(path)!, name);
        if (!File.Exists(primary))
            File.WriteAllBytes(primary, Head(source));
        return primary;
    }

    private static void AssertWellFormed(ListEntity entity)
    {
        Assert.False(string.IsNullOrWhiteSpace(entity.EntityId), $"entity without an id: {entity}");
        Assert.True(!string.IsNullOrWhiteSpace(entity.PrimaryName) || entity.Aliases.Any(a => !string.IsNullOrWhiteSpace(a.Name)),
            $"entity {entity.EntityId} without a name");
    }

    /// <summary>Input <paramref name="index"/> of the loop seeded with <paramref name="seed"/>: one to four mutations of <paramref name="original"/>.</summary>
    internal static byte[] Mutate(byte[] original, int seed, int index)
    {
        var random = new Random(seed * 100_003 + index);
        var data = new List<byte>(original);
        var steps = 1 + random.Next(4);
        for (var step = 0; step < steps && data.Count > 0; step++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(8))
            {
                case 0: // flip a byte
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // insert hostile bytes
                    var n = 1 + random.Next(3);
                    for (var i = 0; i < n; i++)
                        data.Insert(at, Hostile[random.Next(Hostile.Length)]);
                    break;
                case 2: // delete a span
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64)));
                    break;
                case 3: // duplicate a span somewhere else
                    var span = data.GetRange(at, Math.Min(data.Count - at, 1 + random.Next(256)));
                    data.InsertRange(random.Next(data.Count + 1), span);
                    break;
                case 4: // truncate
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5: // repeat a line
                    var (start, end) = LineAround(data, at);
                    var line = data.GetRange(start, end - start);
                    for (var times = 1 + random.Next(3); times > 0; times--)
                        data.InsertRange(end, line);
                    break;
                case 6: // cut a line in half: drop its second half, so it runs into the next line
                    var (from, to) = LineAround(data, at);
                    var middle = from + (to - from) / 2;
                    data.RemoveRange(middle, Math.Max(0, to - middle - 1));
                    break;
                default: // overwrite a byte with a random one
                    data[at] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. data];
    }

    /// <summary>The line containing <paramref name="at"/>: its first byte, and the byte after its '\n' (or the end).</summary>
    private static (int Start, int End) LineAround(List<byte> data, int at)
    {
        var start = at;
        while (start > 0 && data[start - 1] != (byte)'\n')
            start--;
        var end = at;
        while (end < data.Count && data[end] != (byte)'\n')
            end++;
        return (start, Math.Min(end + 1, data.Count));
    }

    /// <summary>The file name and bytes the mutations of <paramref name="format"/> start from, read from the real files in place.</summary>
    private static (string Name, byte[] Bytes) SeedOf(string format) => format switch
    {
        OfacCsvParser.Format => ("sdn.csv", Head(SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv"))),
        // The UN list is 2 MB: its head up to the last complete INDIVIDUAL, closed as the file closes.
        UnXmlParser.Format => ("un.xml", CloseXml(SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"), "</INDIVIDUAL>", "\n  </INDIVIDUALS>\n</CONSOLIDATED_LIST>\n")),
        BisDplParser.Format => ("dpl.txt", Head(SharedListFiles.Path("csl_bis", "bis_dpl.txt"))),
        CslCsvParser.Format => ("consolidated.csv", Head(SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"))),
        FtmParser.Format => ("entities.ftm.json", Head(SharedListFiles.Path("opensanctions_ftm", "zala_entities.ftm.json"))),
        MetiEulParser.Format => ("eul.csv", Head(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"))),
        EuFsfXmlParser.Format => ("eu.xml", File.ReadAllBytes(ListFixtures.Path("eu_fsf_sample.xml"))),
        UkSanctionsXmlParser.Format => ("uk.xml", File.ReadAllBytes(ListFixtures.Path("uk_sanctions_sample.xml"))),
        // No own-format list is published: the METI name index (name,eul_id,list) becomes one by numbering its rows.
        OwnCsvParser.Format => ("own.csv", OwnCsvFromMetiNames()),
        FtmDelta => ("entities.delta.json", File.ReadAllBytes(SharedListFiles.Path("opensanctions_ftm", "t2", "20240527194702-wnk", "entities.delta.json"))),
        OfacAddresses => ("add.csv", Head(Path.Combine(Ofac2021, "add.csv"))),
        OfacAliases => ("alt.csv", Head(Path.Combine(Ofac2021, "alt.csv"))),
        OfacComments => ("sdn_comments.csv", File.ReadAllBytes(Path.Combine(Ofac2021, "sdn_comments.csv"))),
        OfacConsolidated => ("cons_prim.csv", Head(Path.Combine(OfacConsolidatedFolder, "cons_prim.csv"))),
        OfacConsolidatedAddresses => ("cons_add.csv", Head(Path.Combine(OfacConsolidatedFolder, "cons_add.csv"))),
        OfacConsolidatedAliases => ("cons_alt.csv", Head(Path.Combine(OfacConsolidatedFolder, "cons_alt.csv"))),
        OfacConsolidatedComments => ("cons_comments.csv", File.ReadAllBytes(Path.Combine(OfacConsolidatedFolder, "cons_comments.csv"))),
        FtmDeltaIndex => ("delta.json", File.ReadAllBytes(Path.Combine(DeltaSeries, "delta.json"))),
        _ => throw new ArgumentException(format, nameof(format)),
    };

    /// <summary>The first <see cref="SeedBytes"/> bytes of a file, cut back to the end of a line.</summary>
    private static byte[] Head(string path)
    {
        var bytes = ReadHead(path, SeedBytes);
        if (bytes.Length < SeedBytes)
            return bytes;
        return bytes[..(Array.LastIndexOf(bytes, (byte)'\n') + 1)];
    }

    private static byte[] CloseXml(string path, string lastRecordEnd, string closing)
    {
        var text = Encoding.UTF8.GetString(ReadHead(path, SeedBytes));
        return Encoding.UTF8.GetBytes(text[..(text.LastIndexOf(lastRecordEnd, StringComparison.Ordinal) + lastRecordEnd.Length)] + closing);
    }

    private static byte[] OwnCsvFromMetiNames()
    {
        var lines = Encoding.UTF8.GetString(Head(SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"))).Split('\n');
        var own = new StringBuilder("id,name,remarks,programs\n");
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length > 0)
                own.Append(i).Append(',').Append(lines[i].TrimEnd('\r')).Append('\n');
        }
        return Encoding.UTF8.GetBytes(own.ToString());
    }

    private static byte[] ReadHead(string path, int count)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(count, stream.Length)];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
