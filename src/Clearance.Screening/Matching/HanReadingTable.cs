using System.Globalization;
using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>
/// Builds the Han reading table (han-readings.tsv, embedded in this assembly and read by <see cref="HanReadings"/>) from
/// the Unicode Character Database's Unihan files: Unihan_Readings.txt (kHangul, kMandarin, kJapaneseOn),
/// Unihan_Variants.txt (kSimplifiedVariant, kTraditionalVariant, kSemanticVariant, kZVariant) and
/// Unihan_OtherMappings.txt (kJinmeiyoKanji, kJoyoKanji, kTGH), with the Joyo Kanji Table's bracketed traditional forms
/// (joyo-traditional-forms.tsv, embedded beside it), which Unihan 15.0 links only in part. Debian's unicode-data
/// package ships the Unihan files as /usr/share/unicode/Unihan_*.txt.bz2. The table is generated, never edited by hand:
/// <c>dotnet run -c Release --project bench/Clearance.Benchmarks -- han-readings-table [UNIHAN_DIR]</c> writes it, and
/// a test rebuilds it from the same files and compares.
/// </summary>
/// <remarks>
/// One line per character of the BMP Han blocks that has a reading: the character, its Korean readings (Hangul
/// syllables), its Mandarin readings (pinyin without tones, ü as u), its Japanese on-readings (Hepburn, long vowels
/// written short: KYOU → kyo, as Latin spellings of Japanese names write them), and the character it folds to for
/// matching (else empty): its one simplified form in the BMP, when it has exactly one and is not it; for a Japanese
/// standard form (shinjitai) without one, the folded form of its one traditional form (竜 → 龍 → 龙, 沢 → 澤 → 泽,
/// 広 → 廣 → 广), so the three writings of a character are one. A character without a
/// reading of its own in a field takes that field from its nearest variant that has one (為 has no kHangul; its
/// semantic variant 爲 reads 위), so simplified and traditional forms read alike.
/// <para>
/// A Japanese standard form's traditional forms are those the Joyo Kanji Table brackets, the Jinmeiyo forms
/// (kJinmeiyoKanji "2010:U+…": 龍 → 竜, 嶋 → 島, which include the Joyo table's tolerated forms, 剥 → 剝). A shinjitai
/// that is also a character of its own in Chinese (listed in the 2013 Table of General Standard Chinese Characters,
/// kTGH) with another Mandarin reading than its traditional form is not folded: 芸 is yún in Chinese, not 藝 yì; 浜 is
/// bāng, not 濱 bīn. Nor is one with more than one traditional form left (弁 stands for 辨, 辯 and 瓣).
/// </para>
/// </remarks>
public static class HanReadingTable
{
    /// <summary>The name of the embedded table resource.</summary>
    public const string ResourceName = "Clearance.Screening.Matching.han-readings.tsv";

    /// <summary>Where Debian's unicode-data package puts the Unihan files.</summary>
    public const string DebianUnihanDirectory = "/usr/share/unicode";

    /// <summary>The name of the embedded Joyo Kanji Table traditional forms the generator reads.</summary>
    public const string JoyoResourceName = "Clearance.Screening.Matching.joyo-traditional-forms.tsv";

    /// <summary>
    /// Builds the table text from the Unihan files of a directory: Unihan_Readings.txt, Unihan_Variants.txt and
    /// Unihan_OtherMappings.txt, plain or compressed as Debian ships them (.txt.bz2, read through the bzip2 program), with
    /// the embedded Joyo Kanji Table forms. Null when the directory lacks them.
    /// </summary>
    /// <param name="directory">A directory with the Unihan files, e.g. <see cref="DebianUnihanDirectory"/>.</param>
    public static string? GenerateFrom(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string? readings = ReadUnihanFile(directory, "Unihan_Readings");
        string? variants = ReadUnihanFile(directory, "Unihan_Variants");
        string? otherMappings = ReadUnihanFile(directory, "Unihan_OtherMappings");
        return readings is null || variants is null || otherMappings is null
            ? null
            : Generate(new StringReader(readings), new StringReader(variants), new StringReader(otherMappings), new StringReader(JoyoTraditionalForms()));
    }

    /// <summary>The table as embedded in this assembly.</summary>
    public static string Embedded() => ReadResource(ResourceName);

    /// <summary>The Joyo Kanji Table's bracketed traditional forms as embedded (joyo-traditional-forms.tsv).</summary>
    public static string JoyoTraditionalForms() => ReadResource(JoyoResourceName);

    private static string ReadResource(string name)
    {
        using Stream stream = typeof(HanReadingTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in Clearance.Screening.");
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

    /// <summary>Builds the table text from the three Unihan files and the Joyo Kanji Table forms.</summary>
    /// <param name="readings">The text of Unihan_Readings.txt.</param>
    /// <param name="variants">The text of Unihan_Variants.txt.</param>
    /// <param name="otherMappings">The text of Unihan_OtherMappings.txt.</param>
    /// <param name="joyoTraditionalForms">The text of joyo-traditional-forms.tsv (standard form, tab, traditional form).</param>
    public static string Generate(TextReader readings, TextReader variants, TextReader otherMappings, TextReader joyoTraditionalForms)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(otherMappings);
        ArgumentNullException.ThrowIfNull(joyoTraditionalForms);
        var hangul = new Dictionary<int, string[]>();
        var mandarin = new Dictionary<int, string[]>();
        var tonedMandarin = new Dictionary<int, string[]>();
        var japaneseOnReadings = new Dictionary<int, string[]>();
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
                    tonedMandarin[code] = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "kJapaneseOn":
                    japaneseOnReadings[code] = Distinct(value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ShortVowels));
                    break;
                default:
                    break;
            }
        }

        var neighbours = new Dictionary<int, List<int>>();
        var simplified = new Dictionary<int, List<int>>();
        var zVariants = new Dictionary<int, List<int>>();
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
                if (field == "kSimplifiedVariant" && other <= 0xFFFF && HanReadings.IsHan((char)other))
                {
                    // A simplified form outside the BMP blocks is left out: names are matched in the BMP (戰 has 战 and
                    // an Extension B form; it folds to 战).
                    Link(simplified, code, other);
                }

                if (field == "kZVariant")
                {
                    Link(zVariants, code, other);
                }
            }
        }

        var japanese = JapaneseTraditionalForms(otherMappings, joyoTraditionalForms, out string otherVersion, out var chineseStandard);
        var folds = new Dictionary<int, int>();
        foreach (int code in simplified.Keys.Concat(japanese.Keys).Concat(japanese.Values.SelectMany(forms => forms)).Distinct())
        {
            if (FoldOf(code, simplified, zVariants, japanese, chineseStandard, tonedMandarin) is int folded && folded != code)
            {
                folds[code] = folded;
            }
        }

        // A traditional form without a simplified form of its own (爲, 嶋) folds with its one Japanese standard form (為 → 为,
        // 島 → 岛).
        foreach (var standards in japanese.SelectMany(p => p.Value.Select(t => (Standard: p.Key, Traditional: t))).GroupBy(p => p.Traditional))
        {
            if (!folds.ContainsKey(standards.Key) && standards.Count() == 1 && folds.TryGetValue(standards.First().Standard, out int folded))
            {
                folds[standards.Key] = folded;
            }
        }

        // Each fold ends on a character that folds no further, so the three forms of a character share one key (a
        // traditional form's simplified form may be a Japanese form with a fold of its own); a cycle stops where it began.
        foreach (int code in folds.Keys.ToList())
        {
            int end = folds[code];
            for (int step = 0; step < 4 && folds.TryGetValue(end, out int further) && further != code; step++)
            {
                end = further;
            }

            folds[code] = end;
        }

        foreach (int code in folds.Where(f => f.Key == f.Value).Select(f => f.Key).ToList())
        {
            folds.Remove(code);
        }

        var text = new StringBuilder(1 << 20);
        text.Append("# Han readings for name matching, generated from the Unihan database by HanReadingTable; do not edit.\n");
        text.Append(CultureInfo.InvariantCulture, $"# Unihan_Readings.txt Unicode {readingsVersion}; Unihan_Variants.txt Unicode {variantsVersion}; Unihan_OtherMappings.txt Unicode {otherVersion}\n");
        text.Append("# folds: kSimplifiedVariant, kZVariant; Japanese forms: kJinmeiyoKanji, kTGH and the Joyo Kanji Table of 2010 (joyo-traditional-forms.tsv)\n");
        text.Append("# character\tKorean (Hangul)\tMandarin (pinyin)\tJapanese on (Hepburn)\tfolds to\n");
        for (int code = 0; code <= 0xFFFF; code++)
        {
            if (!HanReadings.IsHan((char)code))
            {
                continue;
            }

            string[] korean = Nearest(hangul, neighbours, code);
            string[] chinese = Nearest(mandarin, neighbours, code);
            string[] japaneseOn = Nearest(japaneseOnReadings, neighbours, code);
            if (korean.Length + chinese.Length + japaneseOn.Length == 0)
            {
                continue;
            }

            string foldsTo = folds.TryGetValue(code, out int target) ? ((char)target).ToString() : string.Empty;
            text.Append((char)code).Append('\t').AppendJoin(',', korean).Append('\t').AppendJoin(',', chinese)
                .Append('\t').AppendJoin(',', japaneseOn).Append('\t').Append(foldsTo).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The character a character folds to: its one simplified form; else, for a Japanese standard form, the folded form of
    /// its one traditional form that is the same character in Chinese (the same Mandarin reading, tone included); a Japanese
    /// form without a simplified form of its own takes the one simplified form of its z-variants (the same character drawn
    /// otherwise: 鄕, the Joyo table's form of 鄉, folds to 乡). Null when the character stays itself.
    /// </summary>
    private static int? FoldOf(
        int code,
        Dictionary<int, List<int>> simplified,
        Dictionary<int, List<int>> zVariants,
        Dictionary<int, List<int>> japanese,
        HashSet<int> chineseStandard,
        Dictionary<int, string[]> mandarin)
    {
        if (Simplified(code) is int own)
        {
            return own;
        }

        if (japanese.TryGetValue(code, out var traditional))
        {
            // A shinjitai that Chinese writes as a character of its own, read otherwise, is that character there.
            int[] same = [.. traditional.Where(t => !chineseStandard.Contains(code) || ReadAlike(code, t))];
            if (same.Length == 1)
            {
                return Simplified(same[0]) ?? same[0];
            }

            return null;
        }

        return Simplified(code);

        int? Simplified(int c)
        {
            if (simplified.TryGetValue(c, out var forms))
            {
                return forms.Count == 1 ? forms[0] : null;
            }

            if (!japanese.ContainsKey(c) && !japanese.Values.Any(forms => forms.Contains(c)))
            {
                return null;
            }

            int[] viaZ = [.. (zVariants.GetValueOrDefault(c) ?? []).Where(z => simplified.TryGetValue(z, out var f) && f.Count == 1).Select(z => simplified[z][0]).Distinct()];
            return viaZ.Length == 1 && viaZ[0] != c ? viaZ[0] : null;
        }

        bool ReadAlike(int a, int b) =>
            mandarin.TryGetValue(a, out string[]? ra) && mandarin.TryGetValue(b, out string[]? rb) && ra.Intersect(rb).Any();
    }

    /// <summary>
    /// The traditional forms of each Japanese standard form: the Joyo Kanji Table's brackets and kJinmeiyoKanji's variants
    /// ("2010:U+7ADC" on 龍: 龍 is a form of 竜; they include the Joyo table's tolerated forms, 剥 of 剝); and the characters of the Table of General Standard Chinese Characters (kTGH).
    /// </summary>
    private static Dictionary<int, List<int>> JapaneseTraditionalForms(
        TextReader otherMappings, TextReader joyoTraditionalForms, out string version, out HashSet<int> chineseStandard)
    {
        var forms = new Dictionary<int, List<int>>();
        chineseStandard = [];
        version = "unknown";
        while (otherMappings.ReadLine() is { } line)
        {
            if (line.StartsWith("# Unicode version:", StringComparison.Ordinal))
            {
                version = line["# Unicode version:".Length..].Trim();
            }

            if (!TryField(line, out int code, out string field, out string value))
            {
                continue;
            }

            if (field == "kTGH")
            {
                chineseStandard.Add(code);
            }
            else if (field == "kJinmeiyoKanji" && value.IndexOf(":U+", StringComparison.Ordinal) is int colon and >= 0
                && CodePoint(value[(colon + 1)..]) is int standard and <= 0xFFFF)
            {
                Link(forms, standard, code);
            }
        }

        int lineNumber = 0;
        while (joyoTraditionalForms.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] columns = line.Split('\t');
            if (columns.Length != 2 || columns[0].Length != 1 || columns[1].Length != 1)
            {
                throw new InvalidDataException($"joyo-traditional-forms.tsv line {lineNumber}: expected a standard form, a tab and a traditional form.");
            }

            Link(forms, columns[0][0], columns[1][0]);
        }

        return forms;
    }

    private static int CodePoint(string value) =>
        int.Parse(value.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

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
