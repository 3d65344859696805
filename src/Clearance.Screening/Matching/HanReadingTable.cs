using System.Globalization;
using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>
/// Builds the Han reading table (han-readings.tsv, embedded in this assembly and read by <see cref="HanReadings"/>) from
/// the Unicode Character Database's Unihan files: Unihan_Readings.txt (kHangul, kMandarin, kJapaneseOn) and
/// Unihan_Variants.txt (kSimplifiedVariant, kTraditionalVariant, kSemanticVariant, kZVariant). Debian's unicode-data
/// package ships them as /usr/share/unicode/Unihan_*.txt.bz2. The table is generated, never edited by hand:
/// <c>dotnet run -c Release --project bench/Clearance.Benchmarks -- han-readings-table [UNIHAN_DIR]</c> writes it, and
/// a test rebuilds it from the same files and compares.
/// </summary>
/// <remarks>
/// One line per character of the BMP Han blocks that has a reading: the character, its Korean readings (Hangul
/// syllables), its Mandarin readings (pinyin without tones, ü as u), its Japanese on-readings (Hepburn, long vowels
/// written short: KYOU → kyo, as Latin spellings of Japanese names write them), and the character it folds to for
/// matching (its one simplified form, when it has exactly one and is not it; else empty). A character without a
/// reading of its own in a field takes that field from its nearest variant that has one (為 has no kHangul; its
/// semantic variant 爲 reads 위), so simplified and traditional forms read alike.
/// </remarks>
public static class HanReadingTable
{
    /// <summary>The name of the embedded table resource.</summary>
    public const string ResourceName = "Clearance.Screening.Matching.han-readings.tsv";

    /// <summary>Where Debian's unicode-data package puts the Unihan files.</summary>
    public const string DebianUnihanDirectory = "/usr/share/unicode";

    /// <summary>
    /// Builds the table text from the Unihan files of a directory: Unihan_Readings.txt and Unihan_Variants.txt, plain or
    /// compressed as Debian ships them (.txt.bz2, read through the bzip2 program). Null when the directory lacks them.
    /// </summary>
    /// <param name="directory">A directory with the Unihan files, e.g. <see cref="DebianUnihanDirectory"/>.</param>
    public static string? GenerateFrom(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string? readings = ReadUnihanFile(directory, "Unihan_Readings");
        string? variants = ReadUnihanFile(directory, "Unihan_Variants");
        return readings is null || variants is null ? null : Generate(new StringReader(readings), new StringReader(variants));
    }

    /// <summary>The table as embedded in this assembly.</summary>
    public static string Embedded()
    {
        using Stream stream = typeof(HanReadingTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in Clearance.Screening.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string? ReadUnihanFile(string directory, string name)
    {
        string plain = Path.Combine(directory, name + ".txt");
        if (File.Exists(plain))
        {
            return File.ReadAllText(plain, Encoding.UTF8);
        }

        string compressed = plain + ".bz2";
        if (!File.Exists(compressed))
        {
            return null;
        }

        // .NET reads no bzip2; the bzip2 program comes with every Debian system that has unicode-data.
        var start = new System.Diagnostics.ProcessStartInfo("bzip2", ["-dc", compressed])
        {
            RedirectStandardOutput = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException("bzip2 could not be started to read " + compressed);
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? text : throw new InvalidDataException($"bzip2 -dc {compressed} failed with exit code {process.ExitCode}");
    }

    /// <summary>Builds the table text from the two Unihan files.</summary>
    /// <param name="readings">The text of Unihan_Readings.txt.</param>
    /// <param name="variants">The text of Unihan_Variants.txt.</param>
    public static string Generate(TextReader readings, TextReader variants)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(variants);
        var hangul = new Dictionary<int, string[]>();
        var mandarin = new Dictionary<int, string[]>();
        var japaneseOn = new Dictionary<int, string[]>();
        string readingsVersion = "unknown";
        while (readings.ReadLine() is { } line)
        {
            if (line.StartsWith("# Unicode version:", StringComparison.Ordinal))
            {
                readingsVersion = line["# Unicode version:".Length..].Trim();
            }

            if (!TryField(line, out int code, out string field, out string value))
            {
                continue;
            }

            switch (field)
            {
                case "kHangul":
                    // "금:0E 김:0N": the syllable before the colon, its sources after.
                    hangul[code] = Distinct(value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split(':')[0]));
                    break;
                case "kMandarin":
                    mandarin[code] = Distinct(value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Toneless));
                    break;
                case "kJapaneseOn":
                    japaneseOn[code] = Distinct(value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ShortVowels));
                    break;
                default:
                    break;
            }
        }

        var neighbours = new Dictionary<int, List<int>>();
        var simplified = new Dictionary<int, List<int>>();
        string variantsVersion = "unknown";
        while (variants.ReadLine() is { } line)
        {
            if (line.StartsWith("# Unicode version:", StringComparison.Ordinal))
            {
                variantsVersion = line["# Unicode version:".Length..].Trim();
            }

            if (!TryField(line, out int code, out string field, out string value)
                || field is not ("kSimplifiedVariant" or "kTraditionalVariant" or "kSemanticVariant" or "kZVariant"))
            {
                continue;
            }

            // "U+7232<kHKGlyph U+95D7<kMatthews,kMeyerWempe": the code points before any source tag.
            foreach (string item in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int other = int.Parse(item.Split('<')[0].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (other == code)
                {
                    continue;
                }

                Link(neighbours, code, other);
                Link(neighbours, other, code);
                if (field == "kSimplifiedVariant")
                {
                    Link(simplified, code, other);
                }
            }
        }

        var text = new StringBuilder(1 << 20);
        text.Append("# Han readings for name matching, generated from the Unihan database by HanReadingTable; do not edit.\n");
        text.Append(CultureInfo.InvariantCulture, $"# Unihan_Readings.txt Unicode {readingsVersion}; Unihan_Variants.txt Unicode {variantsVersion}\n");
        text.Append("# character\tKorean (Hangul)\tMandarin (pinyin)\tJapanese on (Hepburn)\tfolds to\n");
        for (int code = 0; code <= 0xFFFF; code++)
        {
            if (!HanReadings.IsHan((char)code))
            {
                continue;
            }

            string[] korean = Nearest(hangul, neighbours, code);
            string[] chinese = Nearest(mandarin, neighbours, code);
            string[] japanese = Nearest(japaneseOn, neighbours, code);
            if (korean.Length + chinese.Length + japanese.Length == 0)
            {
                continue;
            }

            // A simplified form outside the BMP blocks is left unfolded: names are matched in the BMP.
            string folds = simplified.TryGetValue(code, out var forms) && forms.Count == 1 && forms[0] <= 0xFFFF && HanReadings.IsHan((char)forms[0])
                ? ((char)forms[0]).ToString()
                : string.Empty;
            text.Append((char)code).Append('\t').AppendJoin(',', korean).Append('\t').AppendJoin(',', chinese)
                .Append('\t').AppendJoin(',', japanese).Append('\t').Append(folds).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The character's own readings of a field, else those of the nearest variant (one step, then two) that has some.</summary>
    private static string[] Nearest(Dictionary<int, string[]> field, Dictionary<int, List<int>> neighbours, int code)
    {
        if (field.TryGetValue(code, out string[]? own))
        {
            return own;
        }

        var seen = new HashSet<int> { code };
        List<int> ring = [code];
        for (int distance = 1; distance <= 2; distance++)
        {
            var next = new List<int>();
            foreach (int c in ring)
            {
                foreach (int n in neighbours.GetValueOrDefault(c) ?? [])
                {
                    if (seen.Add(n))
                    {
                        next.Add(n);
                    }
                }
            }

            next.Sort();
            foreach (int n in next)
            {
                if (field.TryGetValue(n, out string[]? found))
                {
                    return found;
                }
            }

            ring = next;
        }

        return [];
    }

    private static void Link(Dictionary<int, List<int>> links, int from, int to)
    {
        if (!links.TryGetValue(from, out var list))
        {
            links[from] = list = [];
        }

        if (!list.Contains(to))
        {
            list.Add(to);
        }
    }

    private static bool TryField(string line, out int code, out string field, out string value)
    {
        code = 0;
        field = value = string.Empty;
        if (!line.StartsWith("U+", StringComparison.Ordinal))
        {
            return false;
        }

        string[] parts = line.Split('\t');
        if (parts.Length < 3)
        {
            return false;
        }

        code = int.Parse(parts[0].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        field = parts[1];
        value = parts[2];
        return code <= 0xFFFF;
    }

    private static string[] Distinct(IEnumerable<string> values) => [.. values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>Pinyin without tone marks: "zhèng" → "zheng", "lǘ" → "lu" (Latin spellings of names drop the umlaut).</summary>
    private static string Toneless(string pinyin)
    {
        var plain = new StringBuilder(pinyin.Length);
        foreach (char c in pinyin.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterLower(c))
            {
                plain.Append(c);
            }
        }

        return plain.ToString();
    }

    /// <summary>An on-reading as Latin spellings of Japanese names write it: lower case, long vowels short ("KYOU" → "kyo", "SHUU" → "shu").</summary>
    private static string ShortVowels(string onReading) =>
        onReading.ToLowerInvariant().Replace("ou", "o", StringComparison.Ordinal).Replace("uu", "u", StringComparison.Ordinal);
}
