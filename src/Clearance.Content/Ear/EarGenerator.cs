using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clearance.Model;
using NodaTime;

namespace Clearance.Content.Ear;

/// <summary>
/// Generates the US EAR's Commerce Control List content (<c>us-ccl.generated.yaml</c>, a <c>part_of: US</c> file) from the
/// eCFR data in the shared reference directory (<c>../shared/reference/us-ear</c>): the Country Groups, the Commerce
/// Country Chart's columns, every ECCN with its paragraphs and the Country Chart columns each is controlled for, one
/// requirement per column, the Part 740 licence exceptions as licence types, and the scope of LVS, GBS, ENC and STA as far
/// as the entries state it in a form that can be read. Every element's <c>cite</c> is the legal provision as counsel
/// writes it ("15 CFR 738 Supp. 1 (Commerce Country Chart), column MT1"), no data file named, and its <c>source</c> the
/// eCFR address of the part it was read from, with the day; the eCFR day is in the citation once, with the ECCN where a
/// ground cites the item after the requirement (the file's header names each reference file and its address). The
/// output depends only on the input files: the same input gives the same bytes.
/// </summary>
public static partial class EarGenerator
{
    /// <summary>The reference files the generator reads, in the directory given.</summary>
    public static readonly IReadOnlyList<string> InputFiles = ["ccl.json", "country-chart.json", "country-groups.json", "license-exception-catalog.json"];

    private static readonly string[] Reasons = ["CB", "NP", "NS", "MT", "RS", "FC", "CC", "AT"];

    /// <summary>Generates the content from the files in <paramref name="referenceDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">When a reference file is missing.</exception>
    /// <exception cref="InvalidDataException">When a reference file does not have the expected shape.</exception>
    public static string Generate(string referenceDirectory)
    {
        JsonDocument Read(string name)
        {
            var path = Path.Combine(referenceDirectory, name);
            return File.Exists(path) ? JsonDocument.Parse(File.ReadAllBytes(path)) : throw new FileNotFoundException($"EAR reference file not found: {path}", path);
        }

        using var ccl = Read("ccl.json");
        using var chart = Read("country-chart.json");
        using var groups = Read("country-groups.json");
        using var catalogue = Read("license-exception-catalog.json");
        return new Writer(ccl.RootElement, chart.RootElement, groups.RootElement, catalogue.RootElement).Write();
    }

    private sealed class Writer
    {
        private readonly JsonElement _ccl;
        private readonly JsonElement _chart;
        private readonly JsonElement _groups;
        private readonly JsonElement _catalogue;
        private readonly Dictionary<string, string> _codes;
        private readonly StringBuilder _out = new();
        private readonly List<Item> _items = [];
        private readonly Dictionary<string, Item> _byCode = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _columnsUsed = new(StringComparer.Ordinal);
        private readonly List<string> _gaps = [];

        public Writer(JsonElement ccl, JsonElement chart, JsonElement groups, JsonElement catalogue)
        {
            (_ccl, _chart, _groups, _catalogue) = (ccl, chart, groups, catalogue);
            _codes = CountryNames(chart, groups);
        }

        private string CclDate => _ccl.GetProperty("ecfrIssueDate").GetString()!;

        public string Write()
        {
            var date = CclDate;
            _out.Append("# GENERATED from the eCFR data in ../shared/reference/us-ear (").Append(string.Join(", ", InputFiles)).Append(", eCFR of ").Append(date).Append(")\n")
                .Append("# by `clearance content generate-ear --reference ../shared/reference/us-ear --output src/Clearance.Content/Rules/us-ccl.generated.yaml`.\n")
                .Append("# Do not edit: change the generator (src/Clearance.Content/Ear/EarGenerator.cs) or write the rule by hand in us.yaml.\n");
            // Which file each element was read from: its `source`, the eCFR address (with the day) of the file's part.
            foreach (var (name, file) in new[] { ("ccl.json", _ccl), ("country-chart.json", _chart), ("country-groups.json", _groups), ("license-exception-catalog.json", _catalogue) })
            {
                _out.Append("# ").Append(name).Append(": ").Append(file.GetProperty("citation").GetString()).Append(", eCFR ").Append(file.GetProperty("ecfrIssueDate").GetString())
                    .Append(", ").Append(Url(file)).Append('\n');
            }

            _out.Append("part_of: US\n");
            foreach (var entry in _ccl.GetProperty("entries").EnumerateArray())
            {
                AddEntry(entry);
            }

            DateFromTable();

            WriteLicenseTypes();
            WriteSets();
            WriteItems();
            WriteRequirements();
            WriteScope();
            return _out.ToString();
        }

        // ---- countries ------------------------------------------------------------------------------------------

        private static Dictionary<string, string> CountryNames(JsonElement chart, JsonElement groups)
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var country in CountryTable.All.Where(c => c.IsDestination))
            {
                foreach (var name in country.Names)
                {
                    names.TryAdd(name.Trim(), country.Alpha2);
                }
            }

            // The eCFR's own spellings that the country table does not carry (typos included, as the eCFR prints them).
            (string Name, string Code)[] spellings =
            [
                ("Andorra", "AD"), ("Bosnia & Herzegovina", "BA"), ("Congo (Democratic Republic of the)", "CD"), ("Congo (Democratic Republic of)", "CD"),
                ("Congo (Republic of the)", "CG"), ("Cote d'lvoire", "CI"), ("Micronesia (Federated State of)", "FM"), ("Saint Kitts & Nevis", "KN"),
                ("Sao Tome & Principe", "ST"), ("Seycheles", "SC"), ("Sint Maarten (the Dutch two-fifths of the island of Saint Martin)", "SX"),
                ("South Sudan, Republic of", "SS"), ("Trinidad & Tobago", "TT"), ("China (PRC)", "CN"), ("Korea, South", "KR"), ("Korea, North", "KP"),
            ];
            foreach (var (name, code) in spellings)
            {
                names[name] = code;
            }

            foreach (var aliases in new[] { chart.GetProperty("aliases"), groups.GetProperty("aliases") })
            {
                foreach (var alias in aliases.EnumerateObject())
                {
                    if (names.TryGetValue(alias.Value.GetString()!, out var code))
                    {
                        names.TryAdd(alias.Name, code);
                    }
                }
            }

            return names;
        }

        private string Code(string name) =>
            _codes.TryGetValue(name.Trim(), out var code) ? code : throw new InvalidDataException($"EAR reference: country '{name}' has no ISO code in the country table");

        /// <summary>Destinations the EAR governs through another's row (738.3(b)): Hong Kong by China's, and so on.</summary>
        private List<(string Territory, string Row, string Basis)> Inheritance() =>
            [.. _chart.GetProperty("territoryInheritance").EnumerateObject()
                .Select(p => (Code(p.Name), Code(p.Value.GetProperty("row").GetString()!), p.Value.GetProperty("basis").GetString()!))
                .OrderBy(t => t.Item1, StringComparer.Ordinal)];

        // The membership's periods from the sourced changes of CountryGroupDates, checked against the 2026 data: the
        // changes, applied in order, must end where the reference stands, or the table contradicts the data.
        private static string DatedMembership(string group, string country, bool memberIn2026, List<CountryGroupDate> changes)
        {
            var undated = CountryGroupDates.Undated.FirstOrDefault(u => u.Group == group && u.Country == country);
            if (changes.Count == 0)
            {
                return undated is null ? "" : $", unconfirmed: true, note: {Quote(undated.Note)}";
            }

            var ordered = changes.OrderBy(c => c.Effective).ToList();
            var periods = new List<(LocalDate? From, LocalDate? To)>();
            LocalDate? start = null;
            var member = ordered[0].Change == GroupChange.Removed;
            foreach (var change in ordered)
            {
                if ((change.Change == GroupChange.Added) == member)
                {
                    throw new InvalidOperationException($"CountryGroupDates: {country} in {group} is {change.Change} on {IsoDay(change.Effective)} but already was");
                }

                if (change.Change == GroupChange.Added)
                {
                    start = change.Effective;
                }
                else
                {
                    periods.Add((start, change.Effective));
                }

                member = change.Change == GroupChange.Added;
            }

            if (member != memberIn2026)
            {
                throw new InvalidOperationException($"CountryGroupDates: the changes leave {country} {(member ? "in" : "out of")} {group}, the reference of 2026 has it {(memberIn2026 ? "in" : "out")}");
            }

            if (member)
            {
                periods.Add((start, null));
            }

            var text = periods.Count == 1
                ? (periods[0].From is { } f ? $", from: {IsoDay(f)}" : "") + (periods[0].To is { } t ? $", to: {IsoDay(t)}" : "")
                : ", periods: [" + string.Join(", ", periods.Select(p => "{" + string.Join(", ", new[] { p.From is { } pf ? $"from: {IsoDay(pf)}" : null, p.To is { } pt ? $"to: {IsoDay(pt)}" : null }.OfType<string>()) + "}")) + "]";
            var unconfirmed = ordered.Where(c => c.Unconfirmed is not null).Select(c => c.Unconfirmed!).ToList();
            return text + ", cite: " + Quote(string.Join("; ", ordered.Select(c => c.Cite).Distinct())) + ", source: " + Quote(ordered[^1].Source)
                + (unconfirmed.Count > 0 ? ", unconfirmed: true, note: " + Quote(string.Join("; ", unconfirmed)) : "");
        }

        private static string IsoDay(LocalDate day) => day.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

        // ---- sets -----------------------------------------------------------------------------------------------

        private void WriteSets()
        {
            var groupProvision = Provision(_groups);
            var source = Url(_groups);
            var inheritance = Inheritance();
            _out.Append("country_sets:\n");
            var labels = _groups.GetProperty("labels");
            foreach (var group in _groups.GetProperty("groups").EnumerateObject())
            {
                var members = group.Value.EnumerateArray().Select(n => Code(n.GetString()!)).ToHashSet(StringComparer.Ordinal);
                var inherited = inheritance.Where(t => members.Contains(t.Row) && t.Territory == "HK").ToList();
                var id = "us.group." + group.Name.Replace(":", "", StringComparison.Ordinal);
                var label = labels.GetProperty(group.Name).GetString()!;
                var name = label == $"Country Group {group.Name}" ? label : $"Country Group {group.Name} ({label})";
                _out.Append("  - id: ").Append(id).Append("\n    name: ").Append(Quote(name)).Append("\n    group: true\n    cite: ").Append(Quote($"{groupProvision}, Country Group {group.Name} ({Ecfr(_groups)})"))
                    .Append("\n    source: ").Append(Quote(source)).Append("\n    members:\n");
                var changes = CountryGroupDates.All.Where(c => c.Group == group.Name).ToList();
                foreach (var code in members.Concat(changes.Select(c => c.Country)).Distinct().Order(StringComparer.Ordinal))
                {
                    _out.Append("      - {country: ").Append(code).Append(DatedMembership(group.Name, code, members.Contains(code), changes.Where(c => c.Country == code).ToList())).Append("}\n");
                }

                // Hong Kong took China's groups with its removal as a separate destination (its own before are not held).
                foreach (var (territory, row, basis) in inherited)
                {
                    _out.Append("      - {country: ").Append(territory).Append(", from: ").Append(IsoDay(CountryGroupDates.HongKongAsChina))
                        .Append(", cite: ").Append(Quote($"as {row} from {IsoDay(CountryGroupDates.HongKongAsChina)}, {CountryGroupDates.HongKongAsChinaCite}: {basis}")).Append("}\n");
                }
            }

            var chartProvision = Provision(_chart);
            var chartSource = Url(_chart);
            var countries = _chart.GetProperty("countries").EnumerateObject().Select(p => (Code: Code(p.Name), Marks: p.Value.GetProperty("marks").EnumerateArray().Select(m => m.GetString()!.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal))).ToList();
            var byCode = countries.ToDictionary(c => c.Code, c => c.Marks, StringComparer.Ordinal);
            foreach (var column in _chart.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!))
            {
                var id = column.Replace(" ", "", StringComparison.Ordinal);
                _out.Append("  - id: us.cc.").Append(id).Append("\n    name: ").Append(Quote($"Commerce Country Chart {column} ({_chart.GetProperty("columnLabels").GetProperty(column).GetString()}): an X for the destination"))
                    .Append("\n    cite: ").Append(Quote($"{chartProvision}, column {column} ({Ecfr(_chart)})")).Append("\n    source: ").Append(Quote(chartSource));
                var marked = countries.Where(c => c.Marks.Contains(id)).Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
                // AT columns have no X left (the embargoed rows point to Part 746): an empty set, said so.
                _out.Append(marked.Count == 0 ? "\n    members: []\n" : "\n    members:\n");
                foreach (var code in marked)
                {
                    _out.Append("      - {country: ").Append(code).Append("}\n");
                }

                // A territory with a row of its own (Liechtenstein's, which footnote 5 refers to Switzerland) keeps it.
                // Hong Kong takes China's row from its removal as a separate destination; before, its own row's Xs as
                // far as the content holds them (the other columns are a gap in us-measures.yaml).
                foreach (var (territory, row, basis) in inheritance.Where(t => !byCode.ContainsKey(t.Territory) && byCode.TryGetValue(t.Row, out var marks) && marks.Contains(id)))
                {
                    var since = territory == "HK" ? $", from: {IsoDay(CountryGroupDates.HongKongAsChina)}" : "";
                    _out.Append("      - {country: ").Append(territory).Append(since).Append(", cite: ").Append(Quote($"the {row} row: {basis}")).Append("}\n");
                }

                if (CountryGroupDates.HongKongRowBefore.FirstOrDefault(h => h.Column == id) is { } own)
                {
                    _out.Append("      - {country: HK, to: ").Append(IsoDay(CountryGroupDates.HongKongAsChina)).Append(", cite: ")
                        .Append(Quote($"Hong Kong's own row before {CountryGroupDates.HongKongAsChinaCite}: {own.Basis}")).Append(", unconfirmed: true, note: ").Append(Quote(own.Unconfirmed)).Append("}\n");
                }
            }

            // Destinations the chart has a row for (the embargoed ones' rows point to Part 746), and those it governs
            // through another's row: any other destination is not answered from the chart (738.3(b) names no complete list).
            var rows = countries.Select(c => c.Code)
                .Concat(_chart.GetProperty("embargoed").EnumerateObject().Select(p => Code(p.Name)))
                .Concat(inheritance.Select(t => t.Territory))
                .Distinct().Order(StringComparer.Ordinal);
            _out.Append("  - id: us.cc.rows\n    name: \"destinations the Commerce Country Chart has a row for, or governs through another's row (738.3(b))\"\n    cite: ")
                .Append(Quote($"{chartProvision}; 15 CFR 738.3(b) ({Ecfr(_chart)})")).Append("\n    source: ").Append(Quote(chartSource)).Append("\n    members:\n");
            foreach (var code in rows)
            {
                _out.Append("      - {country: ").Append(code).Append("}\n");
            }
        }

        // ---- items ----------------------------------------------------------------------------------------------

        private sealed class Item(string code, string? parent, string title, string cite)
        {
            public string Code { get; } = code;
            public string? Parent { get; } = parent;
            public string Title { get; } = title;
            public string Cite { get; } = cite;
            public SortedSet<string> Columns { get; } = new(StringComparer.Ordinal);
            public SortedSet<string> NotInherited { get; } = new(StringComparer.Ordinal);
            public List<string> Notes { get; } = [];
            // Where the text of the item's dated columns is from ("in the text of 89 FR 72926 (effective 6 Sep 2024)"), with the columns.
            public Dictionary<string, SortedSet<string>> Dating { get; } = new(StringComparer.Ordinal);
            public string? ProductGroup { get; set; }
        }

        private Item Add(string code, string? parent, string title, string cite)
        {
            if (_byCode.TryGetValue(code, out var known))
            {
                return known;
            }

            var item = new Item(code, parent, title, cite);
            _items.Add(item);
            _byCode[code] = item;
            return item;
        }

        /// <summary>
        /// The title of each paragraph code the parse lists more than once: the reference interleaves the lettered
        /// sub-paragraphs of an entry's notes ("a. If the designer ...", "b. ...") with the entry's own paragraphs, so
        /// 3A090's note letters came before its real .b and .c. A note's list restarts at "a" after the entry's own
        /// letters have passed it and continues letter by letter; an entry paragraph is the next letter of the entry's
        /// own sequence. A code listed once keeps its text, whatever the sequence says.
        /// </summary>
        private static Dictionary<string, string?> ItemTitles(List<(string Paragraph, string? Text)> listed)
        {
            var titles = new Dictionary<string, string?>(StringComparer.Ordinal);
            var repeated = listed.GroupBy(p => p.Paragraph).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            char? lastOwn = null, lastNote = null;
            var topIsOwn = true;
            foreach (var (paragraph, text) in listed)
            {
                bool own;
                if (paragraph.Length == 1 && char.IsAsciiLetterLower(paragraph[0]))
                {
                    var letter = paragraph[0];
                    if (lastNote is { } note && letter == note + 1)
                    {
                        (own, lastNote) = (false, letter);
                    }
                    else if (letter == (lastOwn is { } o ? o + 1 : 'a'))
                    {
                        (own, lastOwn, lastNote) = (true, letter, null);
                    }
                    else if (letter == 'a')
                    {
                        (own, lastNote) = (false, letter);
                    }
                    else
                    {
                        own = true;
                    }

                    topIsOwn = own;
                }
                else
                {
                    own = topIsOwn;
                }

                if (repeated.Contains(paragraph) && (own ? !titles.TryGetValue(paragraph, out var first) || first is null : !titles.ContainsKey(paragraph)))
                {
                    // The first own occurrence wins; a note's text stands only until one comes (null marks it replaceable).
                    titles[paragraph] = own ? text : null;
                }
            }

            return titles;
        }

        /// <summary>A paragraph of an ECCN, with the paragraphs above it, made when the entry's text names it.</summary>
        private Item Paragraph(string eccn, string paragraph, string cite)
        {
            var code = $"{eccn}.{paragraph}";
            if (_byCode.TryGetValue(code, out var known))
            {
                return known;
            }

            var dot = paragraph.LastIndexOf('.');
            var parent = dot < 0 ? eccn : Paragraph(eccn, paragraph[..dot], cite).Code;
            return Add(code, parent, $"{eccn} paragraph .{paragraph} (named by the entry's controls; its text is not in the reference data)", cite);
        }

        private void AddEntry(JsonElement entry)
        {
            var eccn = entry.GetProperty("eccn").GetString()!;
            var cite = $"15 CFR 774 Supp. 1, ECCN {eccn} ({Ecfr(_ccl)})";
            var root = Add(eccn, null, Clip(entry.GetProperty("heading").GetString() ?? eccn), cite);
            root.ProductGroup = entry.GetProperty("productGroup").GetString();
            if (entry.TryGetProperty("items", out var paragraphs))
            {
                var listed = paragraphs.EnumerateArray()
                    .Where(p => p.GetProperty("kind").GetString() == "item" && p.GetProperty("paragraph").GetString() is { } code && ParagraphCode().IsMatch(code))
                    .Select(p => (Paragraph: p.GetProperty("paragraph").GetString()!, Text: p.GetProperty("text").GetString()))
                    .ToList();
                var titles = ItemTitles(listed);
                foreach (var (paragraph, text) in listed)
                {
                    var dot = paragraph.LastIndexOf('.');
                    var parent = dot < 0 ? eccn : Paragraph(eccn, paragraph[..dot], cite).Code;
                    Add($"{eccn}.{paragraph}", parent, Clip(titles.GetValueOrDefault(paragraph) ?? text ?? paragraph), cite);
                }
            }

            var excepting = new List<(HashSet<string> Excluded, List<string> Columns, string Control)>();
            foreach (var control in entry.GetProperty("countryChart").EnumerateArray())
            {
                ApplyControl(eccn, root, control.GetProperty("control").GetString() ?? "", control.GetProperty("countryChart").GetString() ?? "", cite, excepting);
            }

            AddExceptions(eccn, entry, cite);

            // "Entire entry except P" is applied once every paragraph the entry's text names is known (its licence exception
            // lines name some, e.g. 0A501.c, .d and .x by LVS): covering the children known when the control line is read
            // would leave the paragraphs named later, and the entry itself, without the control.
            foreach (var (excluded, columns, control) in excepting)
            {
                if (Cover(root, excluded, columns) == 0)
                {
                    // No paragraph of the rest of the entry is in the data (categories 0, 2 and 6-9 list none): the rest can
                    // only be the entry given alone, so the entry carries the columns and the excepted paragraphs do not
                    // inherit them (`not_inherited`); the entry given whole is then "depends on the paragraph". A column
                    // the entry also carries by another line ("entire entry") stays inherited: that line has no exception.
                    var inheritedOnly = columns.Where(c => !root.Columns.Contains(c)).ToList();
                    root.Columns.UnionWith(columns);
                    foreach (var code in excluded)
                    {
                        _byCode[code].NotInherited.UnionWith(inheritedOnly.Select(CclTextDates.BaseColumn));
                    }
                }
            }
        }

        /// <summary>
        /// One control line of an entry: the columns it names and the paragraphs it covers, put as the <c>columns</c>
        /// attribute on the highest entries it covers whole. A control whose scope the text qualifies (an end use, a
        /// parameter) is applied to the paragraphs it names, or the whole entry, and the entry is flagged with the text.
        /// </summary>
        private void ApplyControl(string eccn, Item root, string control, string chart, string cite, List<(HashSet<string> Excluded, List<string> Columns, string Control)> excepting)
        {
            var reason = ReasonWord().Match(control) is { Success: true } r ? r.Groups[1].Value : null;
            var columns = Columns(reason, chart);
            if (columns.Count == 0)
            {
                if (IsMeasure(chart))
                {
                    return; // UN arms embargoes (746.1(b)) and Russia/Belarus (746.8) are Part 746 measures: us-measures.yaml.
                }

                _gaps.Add(eccn);
                root.Notes.Add($"not modelled: '{control}' ({chart})");
                return;
            }

            if (CclTextDates.ByControlText.FirstOrDefault(t => chart.Contains(t.Marker, StringComparison.Ordinal)) is { } byText)
            {
                columns = [.. columns.Select(c => Register(c, byText.Effective, byText.Rule, byText.Cite, byText.Source, byText.Earlier))];
            }

            // "..., except those 3A001.b.2 and b.3 items being exported or reexported for use in civil telecommunications
            // applications" (3A001's NS1 and RS1): the column applies unless the line states that use, a fact the requirement
            // tests (CivilTelecommunicationsSuffix); not stated, it is undecided, never a silent pass.
            var exceptAt = control.IndexOf(", except those ", StringComparison.Ordinal);
            if (exceptAt > 0 && control.EndsWith(CivilTelecommunicationsUse, StringComparison.Ordinal) && LooseRefs(eccn, control[..exceptAt]) is { Count: > 0 } civilExcepted)
            {
                var unless = columns.Select(c => c + CclTextDates.CivilTelecommunicationsSuffix).ToList();
                _columnsUsed.UnionWith(unless);
                foreach (var p in civilExcepted)
                {
                    Paragraph(eccn, p, cite).Columns.UnionWith(unless);
                }

                return;
            }

            foreach (var c in columns)
            {
                _columnsUsed.Add(c);
            }

            var scope = ScopeText().Match(control);
            var text = scope.Success ? Paragraphs().Replace(scope.Groups[1].Value.Trim().TrimEnd('.'), "").Replace("entire entry, except ", "entire entry except ", StringComparison.Ordinal) : control;
            if (text is "entire entry" || !scope.Success && control.Trim().Length == 0)
            {
                root.Columns.UnionWith(columns);
                return;
            }

            if (text.StartsWith("entire entry except ", StringComparison.Ordinal) && StrictRefs(eccn, text["entire entry except ".Length..]) is { } excepted)
            {
                var excluded = excepted.Select(p => Paragraph(eccn, p, cite).Code).ToHashSet(StringComparer.Ordinal);
                excepting.Add((excluded, columns, control));
                return;
            }

            // A paragraph named with an exception of its own ("5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j"):
            // the list without the parentheses names the paragraphs, each exception is applied below its paragraph (counsel
            // review ear-review27: read as one qualified reference, the list gave NS2 to 5A001.b alone, and .c, .d, .f, .g,
            // .j, and 6A002's RS1 paragraphs after a.3, went without their column).
            var ownExceptions = new Dictionary<string, string>(StringComparer.Ordinal);
            if (StrictRefs(eccn, WithoutParagraphExceptions(eccn, text, ownExceptions)) is { } named)
            {
                foreach (var p in named)
                {
                    var paragraph = Paragraph(eccn, p, cite);
                    if (!ownExceptions.TryGetValue(p, out var exception))
                    {
                        paragraph.Columns.UnionWith(columns);
                    }
                    else if (StrictRefs(eccn, exception) is { } exceptedBelow
                        && Cover(paragraph, exceptedBelow.Select(e => Paragraph(eccn, e, cite).Code).ToHashSet(StringComparer.Ordinal), columns) > 0)
                    {
                        continue;
                    }
                    else
                    {
                        // A qualified exception ("except a.3.d.2.a and a.3.e for lead selenide based focal plane arrays"), or
                        // no other paragraph known: the whole paragraph takes the column, flagged (never a silent pass).
                        paragraph.Columns.UnionWith(columns);
                        paragraph.Notes.Add($"{string.Join("/", columns)} applied to the whole paragraph without its exception (except {exception}): '{control}'");
                    }
                }

                return;
            }

            // Qualified: applied where it may apply, and flagged (a licence may be asked where none is needed, never the reverse).
            var loose = LooseRefs(eccn, text);
            var targets = loose.Count > 0 ? loose.Select(p => Paragraph(eccn, p, cite)).ToList() : [root];
            foreach (var target in targets)
            {
                target.Columns.UnionWith(columns);
                target.Notes.Add($"{string.Join("/", columns)} applied without checking the CCL's qualification: '{control}'");
            }
        }

        /// <summary>
        /// Puts the columns on the highest entries below <paramref name="node"/> that contain no excluded paragraph, and
        /// says on how many entries it put them.
        /// </summary>
        private int Cover(Item node, HashSet<string> excluded, IReadOnlyCollection<string> columns)
        {
            if (excluded.Contains(node.Code))
            {
                return 0;
            }

            if (!excluded.Any(e => e.StartsWith(node.Code + ".", StringComparison.Ordinal)))
            {
                node.Columns.UnionWith(columns);
                return 1;
            }

            return _items.Where(i => i.Parent == node.Code).ToList().Sum(child => Cover(child, excluded, columns));
        }

        private static bool IsMeasure(string chart) => chart.Contains("746.1", StringComparison.Ordinal) || chart.Contains("746.8", StringComparison.Ordinal) || chart.Contains("764.1", StringComparison.Ordinal);

        /// <summary>The columns (or special destination scopes) a control line names.</summary>
        private static List<string> Columns(string? reason, string chart)
        {
            var columns = ColumnRef().Matches(chart).Select(m => m.Groups[1].Value + m.Groups[2].Value).ToList();
            if (columns.Count == 0 && reason is not null && BareColumn().Match(chart) is { Success: true } bare)
            {
                columns.Add(reason + bare.Groups[1].Value);
            }

            if (columns.Count > 0)
            {
                return columns.Distinct().ToList();
            }

            reason ??= "RS";
            string? special = chart switch
            {
                _ when chart.Contains("any destination worldwide", StringComparison.Ordinal) || chart.StartsWith("Worldwide control", StringComparison.Ordinal)
                    || chart.Contains("required for all destinations", StringComparison.Ordinal) => "WW",
                _ when chart.Contains("ALL destinations, except Canada", StringComparison.Ordinal) || chart.Contains("742.15", StringComparison.Ordinal) => "XCA",
                _ when chart.Contains("United Arab Emirates or destinations specified in Country Groups D:1, D:4, and D:5", StringComparison.Ordinal) => "D145",
                _ when chart.Contains("Macau or a destination specified in Country Group D:5", StringComparison.Ordinal) => "MOD5",
                _ when ChinaRussiaVenezuela().IsMatch(chart) => "CNRUVE",
                _ when chart.Contains(FootnoteFiveSection, StringComparison.Ordinal) => "FN5",
                _ when chart.Contains("Iraq or Pakistan", StringComparison.Ordinal) => "IQPK",
                _ when chart.Contains("to Iraq", StringComparison.Ordinal) => "IQ",
                _ when chart.Contains("to Pakistan", StringComparison.Ordinal) => "PK",
                _ when chart.Contains("North Korea", StringComparison.Ordinal) => "KP",
                _ => null,
            };
            if (chart.Contains("742.15", StringComparison.Ordinal))
            {
                reason = "EI";
            }

            return special is null ? [] : [$"{reason}-{special}"];
        }

        /// <summary>Paragraph references when the whole text is a list of them ("3A001.z.1.a, z.2.a", ".c, .d, and .x", "a.2 to a.12"); else null.</summary>
        private static List<string>? StrictRefs(string eccn, string text)
        {
            var result = new List<string>();
            foreach (var raw in ListSeparator().Split(text.Trim().TrimEnd('.')))
            {
                var token = raw.Trim();
                if (token.Length == 0)
                {
                    continue;
                }

                var range = RangeToken().Match(token);
                if (range.Success)
                {
                    var from = Ref(eccn, range.Groups[1].Value);
                    var to = Ref(eccn, range.Groups[2].Value);
                    if (from is null || to is null || Expand(from, to) is not { } expanded)
                    {
                        return null;
                    }

                    result.AddRange(expanded);
                    continue;
                }

                if (Ref(eccn, token) is not { } one)
                {
                    return null;
                }

                result.Add(one);
            }

            return result.Count > 0 ? result : null;
        }

        /// <summary>
        /// The text without the "(except ...)" that follows a paragraph in a list, each exception recorded by the paragraph
        /// it follows ("5A001.b (except .b.5)": b → ".b.5"); nested parentheses are kept inside the exception. A text whose
        /// parenthesis follows no paragraph reference is returned unchanged.
        /// </summary>
        private static string WithoutParagraphExceptions(string eccn, string text, Dictionary<string, string> exceptions)
        {
            var result = new StringBuilder();
            var at = 0;
            while (text.IndexOf(" (except ", at, StringComparison.Ordinal) is var open and >= 0)
            {
                var tokenStart = text.LastIndexOfAny([' ', ','], Math.Max(open - 1, 0)) + 1;
                if (Ref(eccn, text[tokenStart..open]) is not { } paragraph)
                {
                    return text;
                }

                var depth = 0;
                var close = open + 1;
                for (; close < text.Length; close++)
                {
                    depth += text[close] switch { '(' => 1, ')' => -1, _ => 0 };
                    if (depth == 0)
                    {
                        break;
                    }
                }

                if (close == text.Length)
                {
                    return text;
                }

                exceptions[paragraph] = text[(open + " (except ".Length)..close].Trim();
                result.Append(text, at, open - at);
                at = close + 1;
            }

            return result.Append(text, at, text.Length - at).ToString();
        }

        private static string? Ref(string eccn, string token)
        {
            var m = RefToken().Match(token.Trim());
            if (!m.Success || (m.Groups[1].Success && m.Groups[1].Value != eccn))
            {
                return null;
            }

            return m.Groups[2].Value;
        }

        /// <summary>"a.2" to "a.12" → a.2 ... a.12; ".d" to ".h" → d ... h; null when the two differ other than in their last part.</summary>
        private static List<string>? Expand(string from, string to)
        {
            var (fromHead, fromLast) = Split(from);
            var (toHead, toLast) = Split(to);
            if (fromHead != toHead)
            {
                return null;
            }

            string Join(string last) => fromHead.Length == 0 ? last : $"{fromHead}.{last}";
            if (int.TryParse(fromLast, CultureInfo.InvariantCulture, out var a) && int.TryParse(toLast, CultureInfo.InvariantCulture, out var b) && a <= b && b - a < 100)
            {
                return [.. Enumerable.Range(a, b - a + 1).Select(n => Join(n.ToString(CultureInfo.InvariantCulture)))];
            }

            if (fromLast.Length == 1 && toLast.Length == 1 && char.IsLetter(fromLast[0]) && fromLast[0] <= toLast[0])
            {
                return [.. Enumerable.Range(fromLast[0], toLast[0] - fromLast[0] + 1).Select(c => Join(((char)c).ToString()))];
            }

            return null;
        }

        private static (string Head, string Last) Split(string paragraph)
        {
            var dot = paragraph.LastIndexOf('.');
            return dot < 0 ? ("", paragraph) : (paragraph[..dot], paragraph[(dot + 1)..]);
        }

        /// <summary>
        /// <see cref="LooseRefs"/>, with the paragraphs a series continues without the ECCN's number ("3A001.b.2 or b.3":
        /// b.2 and b.3), as an STA paragraph names them.
        /// </summary>
        private static List<string> SeriesRefs(string eccn, string text) =>
            [.. LooseRefs(eccn, text).Concat(SeriesContinuation().Matches(text).Where(m => m.Groups[1].Value == eccn)
                .SelectMany(m => m.Groups["next"].Captures.Select(c => c.Value.TrimEnd('.')))).Distinct()];

        /// <summary>Paragraphs a qualified text names with the ECCN's own number ("... in 3A001.b.2 ...").</summary>
        private static List<string> LooseRefs(string eccn, string text) =>
            [.. QualifiedRef().Matches(text).Where(m => m.Groups[1].Value == eccn).Select(m => m.Groups[2].Value.TrimEnd('.')).Distinct()];

        // ---- dated changes ------------------------------------------------------------------------------------------

        // Applies: the first day of the code's requirement (a rule's compliance date, later than its effective date);
        // Note: what an answer on the requirement must show flagged.
        private sealed record Dated(LocalDate Effective, string Rule, string Cite, string Source, LocalDate Applies, string? Note)
        {
            /// <summary>Where the code's text comes from, as an item's dating and its requirement's title name it.</summary>
            public string InTheText => Applies == Effective
                ? $"in the text of {Rule} (effective {Day(Effective)})"
                : $"in the text of {Rule} (effective {Day(Effective)}, compliance required from {Day(Applies)})";
        }

        // The dated column codes written, with the change that dates each: the requirement of a dated code starts on its day.
        private readonly SortedDictionary<string, Dated> _dated = new(StringComparer.Ordinal);

        // The dated codes whose earlier text the content does not hold: the items that carry them are gaps before the day.
        private readonly SortedSet<string> _earlierNotInContent = new(StringComparer.Ordinal);

        /// <summary>The dated code for <paramref name="column"/> under a change, registered for its requirement.</summary>
        private string Register(string column, LocalDate effective, string rule, string cite, string source, EarlierText earlier, LocalDate? applies = null, string? note = null)
        {
            // The code carries the day its requirement starts (the timelines read it so): the compliance date where the
            // rule gave a later one than its effective date, whose text the item's citation names.
            var code = CclTextDates.Dated(column, applies ?? effective);
            var dated = new Dated(effective, rule, cite, source, applies ?? effective, note);
            if (_dated.TryGetValue(code, out var known) && known != dated)
            {
                throw new InvalidDataException($"EAR dating: {code} is dated by two changes ({known.Rule}, {rule})");
            }

            _dated[code] = dated;
            if (earlier == EarlierText.NotInContent)
            {
                _earlierNotInContent.Add(code);
            }

            return code;
        }

        /// <summary>
        /// Applies the table of dated changes (<see cref="CclTextDates.All"/>): every column a row covers on an item (or
        /// below it) becomes its dated code, and the item's citation names the rule its text is from.
        /// </summary>
        private void DateFromTable()
        {
            foreach (var row in CclTextDates.All.Where(r => !_byCode.ContainsKey(r.Code)))
            {
                throw new InvalidDataException($"EAR dating: {row.Code} ({row.Rule}) is not an entry of the reference data");
            }

            foreach (var item in _items)
            {
                foreach (var column in item.Columns.Where(c => !c.Contains(".since-", StringComparison.Ordinal)).ToList())
                {
                    if (CclTextDates.For(item.Code, column) is not { } row)
                    {
                        continue;
                    }

                    var dated = Register(column, row.Effective, row.Rule, row.Cite, row.Source, row.Earlier, row.Applies, row.Note);
                    item.Columns.Remove(column);
                    item.Columns.Add(dated);
                    _columnsUsed.Add(dated);
                }
            }

            foreach (var item in _items)
            {
                foreach (var dated in item.Columns.Where(_dated.ContainsKey))
                {
                    var change = _dated[dated];
                    if (!item.Dating.TryGetValue(change.InTheText, out var columns))
                    {
                        item.Dating[change.InTheText] = columns = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    columns.Add(CclTextDates.BaseColumn(dated));
                    if (!_earlierNotInContent.Contains(dated))
                    {
                        continue;
                    }

                    // An entry that has no other control (AT aside) is the rule's own: before it, the content cannot say
                    // how such items were classified. One with older controls keeps them before the day, flagged: an
                    // undated control, or one of its own that an earlier dated change wrote (3D992's "Macau or D:5"
                    // controls of 17 Nov 2023 hold before its worldwide ones of 6 Sep 2024).
                    if (HasUndatedControl(item) || HasOwnControlDatedBefore(item, change.Effective))
                    {
                        item.Notes.Add($"{CclTextDates.BaseColumn(dated)} applied from {Day(change.Effective)} ({change.Rule}); before it the entry's other controls are applied as the eCFR text of {CclDate} states them, which may not be how the item was controlled then");
                    }
                    else
                    {
                        _notInContentItems.Add((dated, item.Code));
                    }
                }
            }
        }

        /// <summary>
        /// The columns of the entries above <paramref name="item"/> that it does not inherit, as those entries carry them
        /// once dated: the exception was recorded on the undated column ("NS1"), the entry may carry "NS1.since-...".
        /// </summary>
        private List<string> NotInherited(Item item)
        {
            var above = new SortedSet<string>(StringComparer.Ordinal);
            for (var node = item.Parent is { } first ? _byCode[first] : null; node is not null; node = node.Parent is { } parent ? _byCode[parent] : null)
            {
                above.UnionWith(node.Columns.Where(c => item.NotInherited.Contains(CclTextDates.BaseColumn(c))));
            }

            return [.. above];
        }

        // The entries whose only controls a dated change wrote and whose earlier text the content lacks, by dated code.
        private readonly List<(string Code, string Item)> _notInContentItems = [];

        /// <summary>Whether the item itself carries a column other than AT that a dated change wrote before <paramref name="day"/>.</summary>
        private bool HasOwnControlDatedBefore(Item item, LocalDate day) =>
            item.Columns.Any(c => _dated.TryGetValue(c, out var change) && change.Effective < day && !c.StartsWith("AT", StringComparison.Ordinal));

        /// <summary>Whether the item or an entry above it carries a column other than AT that no dated change wrote.</summary>
        private bool HasUndatedControl(Item item)
        {
            for (var node = item; node is not null; node = node.Parent is { } parent ? _byCode[parent] : null)
            {
                if (node.Columns.Any(c => !_dated.ContainsKey(c) && !c.StartsWith("AT", StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The gaps before the dated changes: entries that did not exist, and controls whose earlier text the content lacks.</summary>
        private void WriteDatedGaps()
        {
            foreach (var rows in CclTextDates.All.Where(r => r.Earlier == EarlierText.NotListed).GroupBy(r => (r.Effective, r.Rule)).OrderBy(g => g.Key.Effective))
            {
                var (effective, rule) = rows.Key;
                var first = rows.First();
                var codes = rows.Select(r => r.Code).ToList();
                _out.Append("  - id: us.ccl.not-listed-before-").Append(IsoDay(effective))
                    .Append("\n    kind: gap\n    title: ").Append(Quote($"{string.Join(", ", codes)} did not exist before {Day(effective)}: added by {rule}; such items were classified under other entries (or EAR99) then, so the generated text does not apply: classify the item under the CCL of the export date"))
                    .Append("\n    items: [").Append(string.Join(", ", codes.Select(Quote))).Append("]\n    destinations: any\n    to: ").Append(IsoDay(effective))
                    .Append("\n    cite: ").Append(Quote(first.Cite)).Append("\n    source: ").Append(Quote(first.Source)).Append('\n');
            }

            foreach (var byDay in _notInContentItems.GroupBy(n => _dated[n.Code]).OrderBy(g => g.Key.Effective))
            {
                var change = byDay.Key;
                var columns = byDay.Select(n => CclTextDates.BaseColumn(n.Code)).Distinct().Order(StringComparer.Ordinal);
                var items = byDay.Select(n => n.Item).Distinct().ToList();
                _out.Append("  - id: us.ccl.controls-before-").Append(IsoDay(change.Effective)).Append("\n    kind: gap\n    title: ")
                    .Append(Quote($"the {string.Join(" and ", columns)} controls of these entries are the text of {change.Rule} (effective {Day(change.Effective)}) and they have no other: what applied to such items before is not in the content (the entry may not have existed, or controlled them otherwise): classify the item under the CCL of the export date"))
                    .Append("\n    items: [").Append(string.Join(", ", items.Select(Quote))).Append("]\n    destinations: any\n    to: ").Append(IsoDay(change.Effective))
                    .Append("\n    cite: ").Append(Quote(change.Cite)).Append("\n    source: ").Append(Quote(change.Source)).Append('\n');
            }
        }

        private static string Day(LocalDate day) => day.ToString("d MMM uuuu", CultureInfo.InvariantCulture);

        // ---- licence exceptions -------------------------------------------------------------------------------------

        private void AddExceptions(string eccn, JsonElement entry, string cite)
        {
            var flags = entry.GetProperty("licenceExceptionFlags");
            if (flags.TryGetProperty("LVS", out var lvs) && lvs.GetString() is { } lvsText)
            {
                AddLvs(eccn, lvsText.Trim(), cite);
            }

            if (flags.TryGetProperty("GBS", out var gbs) && gbs.GetString() is { } gbsText)
            {
                AddGbs(eccn, gbsText.Trim(), cite);
            }

            if (entry.GetProperty("staSpecialConditions").GetString() is { } sta)
            {
                AddStaExclusion(eccn, sta, cite);
            }
        }

        private readonly List<(string Eccn, string Items, decimal Value, string[] NotFor, string? Condition, string Cite, bool ComponentsOnly)> _lvs = [];
        private readonly List<(string Eccn, string Items, string? Condition, string Cite)> _gbs = [];
        // Id: the rule's id after "us.sta.excluded."; When: a condition that must hold for STA to be withheld, or null.
        private readonly List<(string Id, string Eccn, string Items, string Text, bool A6Only, string? When)> _sta = [];

        // 3A001's STA paragraph excepts the 3A001.b.2 and b.3 items "being exported or reexported for use in civil
        // telecommunications applications" (740.20(b)(2) and the ECCN): such a use, stated, leaves STA available for them.
        private const string CivilTelecommunications = ", except those that are being exported or reexported for use in civil telecommunications applications";

        /// <summary>How 3A001's NS and RS control lines end: the column does not apply to a civil telecommunications use.</summary>
        private const string CivilTelecommunicationsUse = " items being exported or reexported for use in civil telecommunications applications";

        /// <summary>
        /// An ECCN's LVS value: "$5000" for the whole entry; "N/A for MT, NP" withholds those reasons; "$500 for .c, .d"
        /// for paragraphs; any other wording gives LVS with its first value under the text as a condition, shown, not checked.
        /// </summary>
        private void AddLvs(string eccn, string text, string cite)
        {
            if (text.TrimEnd('.') == "N/A" || DollarValue().Match(text) is not { Success: true } first)
            {
                return;
            }

            var value = decimal.Parse(first.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var plain = PlainLvs().Match(text);
            if (plain.Success)
            {
                var notFor = plain.Groups[2].Success ? [.. ReasonCode().Matches(plain.Groups[2].Value).Select(m => m.Value)] : Array.Empty<string>();
                _lvs.Add((eccn, Quote(eccn), value, notFor, null, cite, false));
                return;
            }

            var forParagraphs = LvsFor().Match(text);
            if (forParagraphs.Success && StrictRefs(eccn, forParagraphs.Groups[2].Value) is { } paragraphs)
            {
                _lvs.Add((eccn, string.Join(", ", paragraphs.Select(p => Quote(Paragraph(eccn, p, cite).Code))), value, [], null, cite, false));
                return;
            }

            // "$500 for “components”" (5A002, 5A003, 5A004; 5A004 adds "N/A for systems and equipment"): LVS is for an item
            // that is a component, which the line states (us_item_component); not stated, LVS is withheld naming it.
            if (text.Contains($"{Dollars(value)} for “components", StringComparison.Ordinal))
            {
                _lvs.Add((eccn, Quote(eccn), value, [], $"the ECCN's LVS entry reads: '{text}' (the engine checks the value {Dollars(value)} and that the item is a component, us_item_component)", cite, true));
                return;
            }

            _lvs.Add((eccn, Quote(eccn), value, [], $"the ECCN's LVS entry reads: '{text}' (the engine checks the value {Dollars(value)} only)", cite, false));
        }

        private void AddGbs(string eccn, string text, string cite)
        {
            if (text is "Yes" or "Yes." || text.StartsWith("Yes, except N/A for MT", StringComparison.Ordinal))
            {
                _gbs.Add((eccn, Quote(eccn), null, cite));
                return;
            }

            if (GbsFor().Match(text) is { Success: true } m && StrictRefs(eccn, m.Groups[1].Value) is { } paragraphs)
            {
                _gbs.Add((eccn, string.Join(", ", paragraphs.Select(p => Quote(Paragraph(eccn, p, cite).Code))), null, cite));
                return;
            }

            if (text.StartsWith("Yes", StringComparison.Ordinal))
            {
                _gbs.Add((eccn, Quote(eccn), $"the ECCN's GBS entry reads: '{text}' (not checked by the engine)", cite));
            }
        }

        private void AddStaExclusion(string eccn, string text, string cite)
        {
            if (text.Contains("may not be used", StringComparison.Ordinal))
            {
                // A text that names only A:6 or only paragraph (c)(2) withholds STA from A:6 alone; any other, from both.
                var a6Only = (text.Contains("A:6", StringComparison.Ordinal) && !text.Contains("A:5", StringComparison.Ordinal))
                    || (text.Contains("(c)(2)", StringComparison.Ordinal) && !text.Contains("(c)(1)", StringComparison.Ordinal));
                string Items(List<string> refs) => refs.Count > 0 ? string.Join(", ", refs.Select(p => Quote(Paragraph(eccn, p, cite).Code))) : Quote(eccn);
                if (text.IndexOf(CivilTelecommunications, StringComparison.Ordinal) is var at and >= 0)
                {
                    // The paragraphs named before the exception take it (a civil telecommunications use, stated, keeps
                    // STA); those named after it are withheld whatever the use.
                    _sta.Add((eccn + ".except-civil-telecommunications", eccn, Items(SeriesRefs(eccn, text[..at])), text, a6Only, "{us_civil_telecommunications_use: false}"));
                    _sta.Add((eccn, eccn, Items(SeriesRefs(eccn, text[(at + CivilTelecommunications.Length)..])), text, a6Only, null));
                    return;
                }

                _sta.Add((eccn, eccn, Items(SeriesRefs(eccn, text)), text, a6Only, null));
            }
        }

        // ---- writing --------------------------------------------------------------------------------------------

        private void WriteLicenseTypes()
        {
            var ecfr = Ecfr(_catalogue);
            var source = Url(_catalogue);
            _out.Append("license_types:\n");
            foreach (var exception in _catalogue.GetProperty("exceptions").EnumerateArray())
            {
                var section = exception.GetProperty("section").GetString()!;
                foreach (var symbol in exception.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!))
                {
                    _out.Append("  - {id: ").Append(symbol).Append(", name: ").Append(Quote($"License Exception {symbol}: {exception.GetProperty("title").GetString()}"))
                        .Append(", cite: ").Append(Quote($"{ShortCfr(section)} ({ecfr})")).Append(", source: ").Append(Quote(source)).Append("}\n");
                }
            }
        }

        private void WriteItems()
        {
            var cclSource = Url(_ccl);
            _out.Append("items:\n");
            foreach (var item in _items)
            {
                _out.Append("  - {code: ").Append(Quote(item.Code));
                if (item.Parent is not null)
                {
                    _out.Append(", parent: ").Append(Quote(item.Parent));
                }

                _out.Append(", title: ").Append(Quote(item.Title));
                var attributes = new List<string>();
                if (item.ProductGroup is { } group)
                {
                    attributes.Add($"product_group: {group}");
                }

                if (item.Columns.Count > 0)
                {
                    attributes.Add($"columns: [{string.Join(", ", item.Columns)}]");
                }

                if (attributes.Count > 0)
                {
                    _out.Append(", attributes: {").Append(string.Join(", ", attributes)).Append('}');
                }

                if (NotInherited(item) is { Count: > 0 } notInherited)
                {
                    _out.Append(", not_inherited: {columns: [").Append(string.Join(", ", notInherited)).Append("]}");
                }

                // The rule a dated text is from is named once for the columns it wrote ("NS-WW and RS-WW in the text of ...").
                var dating = item.Dating.OrderBy(d => d.Value.Min, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{And(d.Value)} {d.Key}");
                _out.Append(", cite: ").Append(Quote(item.Dating.Count == 0 ? item.Cite : $"{item.Cite}; {string.Join("; ", dating)}")).Append(", source: ").Append(Quote(cclSource));
                if (item.Notes.Count > 0)
                {
                    _out.Append(", unconfirmed: true, note: ").Append(Quote(string.Join("; ", item.Notes)));
                }

                _out.Append("}\n");
            }
        }

        private void WriteRequirements()
        {
            var chartProvision = Provision(_chart);
            _out.Append("requirements:\n");
            foreach (var column in _columnsUsed)
            {
                var reason = CclTextDates.BaseColumn(column);
                var change = _dated.GetValueOrDefault(column);
                var (destinations, basis) = Destinations(reason, chartProvision);
                var title = change is null ? Title(reason) : $"{Title(reason)}, {change.InTheText}";
                if (column.EndsWith(CclTextDates.CivilTelecommunicationsSuffix, StringComparison.Ordinal))
                {
                    title += ", except for items the ECCN names exported or re-exported for use in civil telecommunications applications (3A001.b.2 and b.3)";
                }
                _out.Append("  - id: us.ccl.").Append(column).Append("\n    kind: list\n    title: ").Append(Quote(title))
                    .Append("\n    items: {any: true, where: {columns: [").Append(column).Append("]}}\n    destinations: ").Append(destinations);
                if (column.EndsWith(CclTextDates.CivilTelecommunicationsSuffix, StringComparison.Ordinal))
                {
                    // Not stated, the use leaves the requirement undecided (the fact has no default).
                    _out.Append("\n    when: {us_civil_telecommunications_use: false}");
                }

                if (reason == "RS-FN5")
                {
                    // Screening answers us_entity_list first: an end user not on the list cannot be a Footnote 5 entity.
                    // A foreign-produced item subject to the EAR only by the Footnote 5 rule takes 744.11(a)(2)(v)(A)'s
                    // requirements instead (us-measures.yaml), as the Entity List's own requirement gives way to them:
                    // else Supplement No. 4 to Part 742's exclusion (a re-export from Japan) would be void.
                    _out.Append("\n    when: {us_entity_list: true, us_footnote_5_party: true, us_footnote_5_fdp_only: false}");
                }

                if (ReviewPolicy(reason, column) is { } policy)
                {
                    _out.Append("\n    review_policy: ").Append(Quote(policy));
                }

                if (change is not null)
                {
                    _out.Append("\n    from: ").Append(IsoDay(change.Applies));
                }

                // No eCFR date here: a ground on this requirement cites the item after it, whose citation carries the day
                // (the source, the eCFR address, carries it too); a dated column's source is the rule that wrote its text.
                _out.Append("\n    cite: ").Append(Quote($"15 CFR 738.4(a)(2); {basis}" + (change is null ? "" : $"; {change.Cite}")))
                    .Append("\n    source: ").Append(Quote(change?.Source ?? Url(reason.Contains('-', StringComparison.Ordinal) ? _ccl : _chart)));

                var notes = new[] { reason == "RS-FN5" ? FootnoteFiveNote : change?.Note, UnconfirmedPolicyNote(reason, column) }.OfType<string>().ToList();
                if (notes.Count > 0)
                {
                    _out.Append("\n    unconfirmed: true\n    note: ").Append(Quote(string.Join("; ", notes)));
                }

                _out.Append('\n');
            }

            WriteDatedGaps();

            _out.Append("  - id: us.ccl.no-chart-row\n    kind: gap\n    title: \"the Commerce Country Chart has no row for the destination, and 738.3(b) names no row it is governed by\"\n")
                .Append("    items: {any: true, where: {columns: [").Append(string.Join(", ", _columnsUsed)).Append("]}}\n")
                .Append("    destinations: {any: true, except_sets: [us.cc.rows]}\n    cite: ").Append(Quote($"15 CFR 738.3(b); {chartProvision} ({Ecfr(_chart)})")).Append("\n    source: ").Append(Quote(Url(_chart))).Append('\n');
            if (_gaps.Count > 0)
            {
                _out.Append("  - id: us.ccl.control-not-modelled\n    kind: gap\n    title: \"a control of the ECCN that names no Country Chart column is not modelled (see the entry's note)\"\n")
                    .Append("    items: [").Append(string.Join(", ", _gaps.Distinct().Select(Quote))).Append("]\n    destinations: any\n    cite: ")
                    .Append(Quote($"15 CFR 738.4(a)(1); 15 CFR 774 Supp. 1 ({Ecfr(_ccl)})")).Append("\n    source: ").Append(Quote(Url(_ccl))).Append('\n');
            }
        }

        // 3B993, 3B994, 3D993, 3D994, 3E993, 3E994 (added by 89 FR 96790, effective 2 Dec 2024) read "RS applies to entire
        // entry: See § 742.6(a)(11)". Their Related Controls name 744.11(a)(2)(v) (the Footnote 5 entities of the Entity
        // List and the foreign direct product rule of 734.9(e)(3)) and 744.23(a)(4): the RS licence requirement follows a
        // Footnote 5 party, not a Country Chart column or a destination.
        private const string FootnoteFiveSection = "742.6(a)(11)";

        private const string FootnoteFivePolicy =
            "case-by-case unless the Footnote 5 entity's Entity List entry states another policy (e.g. presumption of denial for SMIC and its affiliates) (15 CFR 744.11(a)(2)(v)(B))";

        private const string FootnoteFiveNote =
            "the text of 742.6(a)(11) was not retrieved (the Federal Register text of 89 FR 96790 was found only as its first pages): "
            + "read, from the entries' Related Controls and 744.11(a)(2)(v) in the eCFR of 2026-07-23 (title-15_part-744.xml), as a licence "
            + "requirement where a Footnote 5 entity is a party, to any destination, for an item subject to the EAR on another ground than "
            + "the Footnote 5 foreign direct product rule; a foreign-produced item subject only by that rule (us_footnote_5_fdp_only) takes "
            + "744.11(a)(2)(v)(A)'s requirements instead (the re-exporter's headquarters, the re-exporting country's A:5 and Supplement "
            + "No. 4 to Part 742 status, equivalent foreign controls: us-measures.yaml); the end-use control of 744.23(a)(4) (items for the "
            + "development or production of semiconductor manufacturing equipment in Macau or D:5) is a separate rule";

        /// <summary>
        /// The destinations a column's requirement selects, and the provision that names them: the Country Chart's column
        /// (<paramref name="chartProvision"/>), or for a column the ECCN states in words, the Part 742 provision it refers to.
        /// </summary>
        private static (string Selector, string Basis) Destinations(string column, string chartProvision)
        {
            var dash = column.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                return ($"{{sets: [us.cc.{column}]}}", $"{chartProvision}, column {column}");
            }

            return column[(dash + 1)..] switch
            {
                "WW" => ("any", "15 CFR 742.4, 742.6: \"to or within any destination worldwide\""),
                "XCA" => ("{any: true, except_countries: [CA]}", column.StartsWith("EI", StringComparison.Ordinal) ? "15 CFR 742.15: all destinations except Canada" : "15 CFR Part 742: all destinations except Canada"),
                "D145" => ("{countries: [AE], sets: [us.group.D1, us.group.D4, us.group.D5], except_sets: [us.group.A5, us.group.A6]}", "15 CFR 742.6(a)(6)(iii)(B): the UAE or D:1, D:4, D:5, excluding A:5 or A:6"),
                "MOD5" => ("{countries: [MO], sets: [us.group.D5]}", "15 CFR 742.4(a)(4), 742.6(a)(6): Macau or Country Group D:5"),
                "CNRUVE" => ("{countries: [CN, HK, RU, VE]}", "15 CFR 742.6(a)(7): China (Hong Kong with it), Russia or Venezuela"),
                "IQPK" => ("{countries: [IQ, PK]}", "15 CFR 742.6, 746.3: Iraq or Pakistan"),
                "IQ" => ("{countries: [IQ]}", "15 CFR 742.6, 746.3: Iraq"),
                "PK" => ("{countries: [PK]}", "15 CFR 742.6(a)(12): Pakistan"),
                "FN5" => ("any", "15 CFR 742.6(a)(11), read with 744.11(a)(2)(v): any destination, where a party to the transaction is an Entity List entity designated with Footnote 5"),
                _ => ("{countries: [KP]}", "15 CFR 742.19: North Korea"),
            };
        }

        /// <summary>
        /// The licensing policy Part 742 states for a column's reason (<paramref name="reason"/>, the column without its
        /// date), where it is one policy for the column; a dated column (<paramref name="column"/>) is named where its
        /// policy is not its reason's: the same RS-WW code carries the advanced computing items of 90 FR 4544 and the
        /// quantum and semiconductor items of 89 FR 72926, whose policies differ.
        /// </summary>
        private static string? ReviewPolicy(string reason, string column) => reason switch
        {
            "RS-FN5" => FootnoteFivePolicy,
            _ when NamedColumnPolicies.TryGetValue(column, out var named) => named.Policy,
            _ when reason.Contains('-', StringComparison.Ordinal) => null,
            _ => ColumnPolicy(reason),
        };

        // 742.6(b)(10) (added by 87 FR 62186, revised by 88 FR 73458 and 90 FR 4544): the review policy of the advanced
        // computing items' RS requirements, the worldwide, Macau/D:5 and D:1/D:4/D:5 columns alike; its terms turn on the
        // destination and where the end user is headquartered, which the line does not state, so the policy is named whole.
        private const string AdvancedComputingPolicy =
            "presumption of denial for Macau and Country Group D:5 destinations and entities headquartered there (or whose ultimate parent is); "
            + "presumption of approval or case-by-case for the other destinations, as 742.6(b)(10) sets out (15 CFR 742.6(b)(10))";

        private const string AdvancedComputingNote =
            "review policy: 742.6(b)(10) is read from practitioners' summaries of 87 FR 62186, 88 FR 73458 and 90 FR 4544, not its eCFR text (not retrieved)";

        // 742.17 (FC Column 1, firearms to the OAS member states): its licensing policy paragraph was not retrieved.
        private const string FirearmsConventionPolicy = "case-by-case (15 CFR 742.17(b))";

        // The AT columns of the Country Chart: the chart of 2026 marks no destination in them (the rows of Cuba, Iran, North
        // Korea and Syria point to Part 746), so these grounds fire on no line today; the policy is the one of the
        // destination's own AT section, named whole because one column serves the four destinations.
        private const string AntiTerrorismPolicy =
            "general policy of denial for Iran and Cuba; for North Korea, general policy of denial for items also controlled for multilateral reasons, "
            + "case-by-case for the rest; for Syria, as 742.9(b) and 746.9(c) state on the date (15 CFR 742.8(b), 742.9(b), 742.19(b), 746.2(b), 746.7(b))";

        // 742.19(b): the AT requirement 742.19(a) places on the ECCNs that name North Korea alone (0A505.c, the 0B999 group).
        private const string NorthKoreaAntiTerrorismPolicy =
            "general policy of denial for items also controlled for NS, MT, NP or CB reasons and for military-related items; case-by-case for the other AT-controlled items (15 CFR 742.19(b))";

        // The semiconductor manufacturing items' NS and RS requirements to Macau and Country Group D:5 (742.4(a)(4),
        // 742.6(a)(6), 88 FR 73424): reviewed as 742.6(b)(10) sets out for them; 744.23(d)(3)(iii) cites its case-by-case
        // criteria (742.6(b)(10)(iii)(A)(1)), which turn on facts the line does not state.
        private const string SemiconductorManufacturingPolicy =
            "presumption of denial, case-by-case for the applications 742.6(b)(10) names (among them end users headquartered in the United States or Country Group A:5 or A:6, "
            + "and items for which a foreign-made item not subject to the EAR performs the same function)";

        // 89 FR 72926 (effective 6 Sep 2024): the worldwide NS and RS requirements of 742.4(a)(5) and 742.6(a)(10) (quantum,
        // GAAFET, additive manufacturing and the semiconductor items of the rule).
        private const string AdvancedTechnologiesPolicy =
            "presumption of denial for Macau and Country Group D:5 destinations; case-by-case for the other destinations";

        private const string AdvancedTechnologiesNote =
            "review policy: read from practitioners' summaries of 89 FR 72926 (presumption of denial for Macau and D:5, case-by-case elsewhere), not from the amended 742.4(b) and 742.6(b) (not retrieved)";

        private const string SemiconductorManufacturingNote =
            "review policy: 742.6(b)(10) as written for the semiconductor manufacturing items by 88 FR 73424 is read from practitioners' summaries and 744.23(d)(3)(iii)'s reference to it, not its eCFR text (not retrieved)";

        /// <summary>
        /// The review policies of the columns whose policy is not their reason's general one (docs/ear-review.md, session
        /// 47), each with why it is flagged. The advanced computing rules' columns for 3A090, 4A090 and the items
        /// controlled with them (4E091's worldwide column, the D:1/D:4/D:5 column of 88 FR 73458, the worldwide column of
        /// 90 FR 4544, 3A090's Macau/D:5 column of 89 FR 96790) all take 742.6(b)(10)'s; the SME columns of 88 FR 73424
        /// and the columns of 89 FR 72926, which share codes with them, have policies of their own.
        /// </summary>
        private static readonly FrozenDictionary<string, (string Policy, string Note)> NamedColumnPolicies = new Dictionary<string, (string Policy, string Note)>(StringComparer.Ordinal)
        {
            ["RS-WW"] = (AdvancedComputingPolicy, AdvancedComputingNote),
            ["RS-D145"] = (AdvancedComputingPolicy, AdvancedComputingNote),
            ["RS-D145.since-2023-11-17"] = (AdvancedComputingPolicy, AdvancedComputingNote),
            ["RS-WW.since-2025-05-15"] = (AdvancedComputingPolicy, AdvancedComputingNote),
            ["RS-MOD5.since-2024-12-02"] = (AdvancedComputingPolicy, AdvancedComputingNote),
            ["AT-KP"] = (NorthKoreaAntiTerrorismPolicy,
                "review policy: 742.19(b)'s text was not retrieved; read as bis.gov's North Korea guidance and 746.4(b) state North Korea's policy"),
            ["CC-XCA"] = ("general policy of approval, except where there is civil disorder or violations of human rights (15 CFR 742.7(b))",
                "review policy: 742.7(b) is read for 0A503 and 0E982 (all destinations but Canada) as for CC Columns 1 to 3; the paragraph's text was not retrieved"),
            ["EI-XCA"] = ("case-by-case, to determine whether the export or reexport is consistent with US national security and foreign policy interests (15 CFR 742.15(b))",
                "review policy: 742.15(b)'s text of 2026 was not retrieved; written from BIS's foreign policy reports (encryption chapter) and counsel's knowledge of the paragraph"),
            ["SL-WW"] = ("general policy of denial; general policy of approval, except to destinations with AT controls, for providers of wire or electronic communication service acting in the normal course of business "
                + "and for officers, agents or employees of, or contractors to, the US, a State or a political subdivision in the normal course of government activities (15 CFR 742.13(b))",
                "review policy: 742.13(b)'s text was not retrieved; read from the rule of 20 Nov 2006 as summarised (International Trade Law News) and BIS's statement at its 2011 Update conference ('a general policy of denial', with those exceptions)"),
            ["NS-MOD5"] = (SemiconductorManufacturingPolicy + " (15 CFR 742.4(b), read with 742.6(b)(10))", SemiconductorManufacturingNote),
            ["NS-MOD5.since-2023-11-17"] = (SemiconductorManufacturingPolicy + " (15 CFR 742.4(b), read with 742.6(b)(10))", SemiconductorManufacturingNote),
            ["RS-MOD5"] = (SemiconductorManufacturingPolicy + " (15 CFR 742.6(b)(10))", SemiconductorManufacturingNote),
            ["RS-MOD5.since-2023-11-17"] = (SemiconductorManufacturingPolicy + " (15 CFR 742.6(b)(10))", SemiconductorManufacturingNote),
            ["NS-WW.since-2024-09-06"] = (AdvancedTechnologiesPolicy + " (15 CFR 742.4(b) as amended by 89 FR 72926)", AdvancedTechnologiesNote),
            ["RS-WW.since-2024-09-06"] = (AdvancedTechnologiesPolicy + " (15 CFR 742.6(b) as amended by 89 FR 72926)", AdvancedTechnologiesNote),
            ["RS-CNRUVE"] = ("presumption of denial where the item would make a material contribution to the military capabilities of China, Russia or Venezuela; case-by-case otherwise (15 CFR 742.6(b)(7))",
                "review policy: 742.6(b)(7)'s text was not retrieved; written as counsel would expect for the .y items' RS requirement to China, Russia and Venezuela, in line with 744.21(e)"),
            ["RS-IQ"] = ("case-by-case (15 CFR 742.6(b)(1); for Iraq, 746.3(b))",
                "review policy: 746.3(b)'s text was not retrieved; RS's general policy (case-by-case) is named as counsel would expect"),
            ["RS-IQPK"] = ("case-by-case (15 CFR 742.6(b)(1); for Iraq, 746.3(b))",
                "review policy: 742.6(b) and 746.3(b) were not retrieved for these items; RS's general policy (case-by-case) is named as counsel would expect"),
            ["RS-PK"] = ("case-by-case (15 CFR 742.6(b)(1))",
                "review policy: the paragraph that states the policy of 742.6(a)(12) (Pakistan) was not retrieved; RS's general policy (case-by-case) is named as counsel would expect"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

        /// <summary>Why a column's review policy is flagged: the policy was read from summaries, not the paragraph's text; null when read.</summary>
        private static string? UnconfirmedPolicyNote(string reason, string column) => column switch
        {
            _ when NamedColumnPolicies.TryGetValue(column, out var named) => named.Note,
            "FC1" => "review policy: the text of 742.17(b) was not retrieved; case-by-case is the policy counsel would expect for OAS firearms",
            _ when reason.StartsWith("AT", StringComparison.Ordinal) =>
                "review policy: the AT sections' licensing policies (742.8(b), 742.9(b), 742.19(b)) were not retrieved; read with the Part 746 policies the embargo grounds name",
            _ => null,
        };

        private static string? ColumnPolicy(string column) => column[..2] switch
        {
            "FC" => FirearmsConventionPolicy,
            "NS" => "case-by-case (15 CFR 742.4(b))",
            "CB" => "case-by-case (15 CFR 742.2(b))",
            "NP" => "case-by-case (15 CFR 742.3(b))",
            "MT" => "case-by-case (15 CFR 742.5(b))",
            "RS" => "case-by-case (15 CFR 742.6(b)(1))",
            "CC" => "general policy of approval, except where there is civil disorder or violations of human rights (15 CFR 742.7(b))",
            "AT" => AntiTerrorismPolicy,
            _ => null,
        };

        private static string Title(string column)
        {
            var reason = column[..2];
            var name = reason switch
            {
                "CB" => "chemical and biological weapons",
                "NP" => "nuclear non-proliferation",
                "NS" => "national security",
                "MT" => "missile technology",
                "RS" => "regional stability",
                "FC" => "firearms convention",
                "CC" => "crime control",
                "AT" => "anti-terrorism",
                "EI" => "encryption items",
                "SL" => "surreptitious listening",
                _ => reason,
            };
            if (column == "RS-FN5")
            {
                return "RS (regional stability), 742.6(a)(11): licence required where a party to the transaction is an Entity List entity designated with Footnote 5, to any destination";
            }

            return column.Contains('-', StringComparison.Ordinal)
                ? $"{reason} ({name}): licence required to the destinations the ECCN names ({column[3..]})"
                : $"{reason} ({name}) column {column[2..]}: licence required where the Country Chart has an X";
        }

        private void WriteScope()
        {
            var ccl = $"15 CFR 774 Supp. 1, {Ecfr(_ccl)}";
            var cclSource = Url(_ccl);
            // A dated requirement is no ground of the generated exceptions: a licence exception's scope is undated, and the
            // rules that dated controls came with restrict the exceptions for them (e.g. IEC, NAC, ACA, AIA instead).
            var columnIds = _columnsUsed.Where(c => !_dated.ContainsKey(c)).ToList();
            string Grounds(IEnumerable<string> columns) => "[" + string.Join(", ", columns.Select(c => "us.ccl." + c)) + "]";

            // 740.2(a)(5): no licence exception for an item controlled for MT (the vehicle exceptions it names aside).
            var notMt = columnIds.Where(c => !c.StartsWith("MT", StringComparison.Ordinal)).ToList();
            _out.Append("license_scope:\n");
            // One rule per value and withheld reasons; an entry whose wording the generator does not read gets its own, with the text as its condition.
            var lvsRules = _lvs.Where(l => l.Condition is null).GroupBy(l => (l.Value, NotFor: string.Join("-", l.NotFor)))
                .Select(g => (Id: $"us.lvs.{g.Key.Value.ToString(CultureInfo.InvariantCulture)}" + (g.Key.NotFor.Length > 0 ? "-not-" + g.Key.NotFor.ToLowerInvariant() : ""), Entries: g.ToList()))
                .Concat(_lvs.Where(l => l.Condition is not null).Select(l => (Id: $"us.lvs.{l.Eccn}", Entries: new List<(string Eccn, string Items, decimal Value, string[] NotFor, string? Condition, string Cite, bool ComponentsOnly)> { l })))
                .OrderBy(r => r.Id, StringComparer.Ordinal);
            foreach (var (id, entries) in lvsRules)
            {
                var (value, notFor, condition, componentsOnly) = (entries[0].Value, entries[0].NotFor, entries[0].Condition, entries[0].ComponentsOnly);
                var reasons = notMt.Where(c => !notFor.Any(n => c.StartsWith(n, StringComparison.Ordinal))).ToList();
                _out.Append("  - id: ").Append(id).Append("\n    license: LVS\n    effect: allow\n    title: ")
                    .Append(Quote($"LVS to Country Group B for a value up to {Dollars(value)}" + (notFor.Length > 0 ? $", not for {string.Join(", ", notFor)}" : "")))
                    .Append("\n    items: [").Append(string.Join(", ", entries.Select(e => e.Items))).Append("]\n    destinations: {sets: [us.group.B]}\n    when: {value: \"<= ")
                    .Append(value.ToString(CultureInfo.InvariantCulture)).Append(componentsOnly ? " USD\", us_item_component: true}\n    grounds: " : " USD\"}\n    grounds: ").Append(Grounds(reasons)).Append('\n');
                if (condition is not null)
                {
                    _out.Append("    condition: ").Append(Quote(condition)).Append('\n');
                }

                _out.Append("    cite: ").Append(Quote($"15 CFR 740.3(a), 740.2(a)(5); LVS values of ECCN {string.Join(", ", entries.Select(e => e.Eccn))} ({ccl})"))
                    .Append("\n    source: ").Append(Quote(cclSource)).Append('\n');
            }

            WriteLvsWithheld(ccl, cclSource);

            var ns = columnIds.Where(c => c.StartsWith("NS", StringComparison.Ordinal) && !CclTextDates.BaseColumn(c).Contains('-', StringComparison.Ordinal)).ToList();
            foreach (var (group, index) in _gbs.GroupBy(g => g.Condition is null).OrderByDescending(g => g.Key).SelectMany(g => g.Key ? [g.ToList()] : g.Select(x => new List<(string Eccn, string Items, string? Condition, string Cite)> { x })).Select((g, i) => (g, i)))
            {
                _out.Append("  - id: us.gbs.").Append(index == 0 && group[0].Condition is null ? "yes" : group[0].Eccn).Append("\n    license: GBS\n    effect: allow\n    title: \"GBS to Country Group B where the Country Chart requires a licence for national security reasons only\"\n")
                    .Append("    items: [").Append(string.Join(", ", group.Select(g => g.Items))).Append("]\n    destinations: {sets: [us.group.B]}\n    grounds: ").Append(Grounds(ns)).Append('\n');
                if (group[0].Condition is { } condition)
                {
                    _out.Append("    condition: ").Append(Quote(condition)).Append('\n');
                }

                _out.Append("    cite: ").Append(Quote($"15 CFR 740.4; GBS of ECCN {string.Join(", ", group.Select(g => g.Eccn))} ({ccl})"))
                    .Append("\n    source: ").Append(Quote(cclSource)).Append('\n');
            }

            foreach (var (id, eccn, items, text, a6Only, when) in _sta)
            {
                _out.Append("  - id: us.sta.excluded.").Append(id).Append("\n    license: STA\n    effect: deny\n    title: ").Append(Quote($"STA withheld by ECCN {eccn}: {text}"))
                    .Append("\n    items: [").Append(items).Append(a6Only ? "]\n    destinations: {sets: [us.group.A6]}" : "]\n    destinations: {sets: [us.group.A5, us.group.A6]}")
                    .Append(when is null ? "\n    cite: " : $"\n    when: {when}\n    cite: ")
                    .Append(Quote($"15 CFR 740.20(b)(2); STA paragraph of ECCN {eccn} ({ccl})"))
                    .Append("\n    source: ").Append(Quote(cclSource)).Append('\n');
            }
        }

        /// <summary>
        /// LVS withheld for a paragraph that is itself controlled for the reason its ECCN's LVS entry excludes ("N/A for NP"),
        /// whatever the destination: the conservative reading counsel advises (ear-review, item D; the other reading, LVS
        /// for the paragraph's NS requirement to a destination without an NP X, could let an unlicensed export through).
        /// A sibling paragraph without that control keeps LVS within the value. For MT the withholding is 740.2(a)(5)'s,
        /// which makes no licence exception but those it names available for an item controlled for MT reasons: every
        /// paragraph of an ECCN with an LVS value that carries MT Column 1.
        /// </summary>
        private void WriteLvsWithheld(string ccl, string cclSource)
        {
            var notForNp = _lvs.Where(l => l.NotFor.Contains("NP")).Select(l => l.Eccn).Distinct().Order(StringComparer.Ordinal).ToList();
            WriteLvsWithheld("np", "NP", notForNp, cclSource,
                "LVS withheld: the ECCN's LVS entry reads 'N/A for NP' and this paragraph is controlled for NP reasons, so LVS is not available for it to any destination (LVS remains for the ECCN's paragraphs without an NP control)",
                $"15 CFR 740.3(a); 740.2(a); LVS values of ECCN {string.Join(", ", notForNp)} ('N/A for NP'), read for the paragraph whatever the destination ({ccl})");
            WriteLvsWithheld("mt", "MT", [.. _lvs.Select(l => l.Eccn).Distinct().Order(StringComparer.Ordinal)], cclSource,
                "LVS withheld: this paragraph is controlled for MT reasons, and 740.2(a)(5) makes LVS unavailable for an item controlled for MT reasons to any destination",
                $"15 CFR 740.2(a)(5); 740.3(a); MT Column 1 of the ECCN's paragraph ({ccl})");
        }

        /// <summary>The rule <c>us.lvs.withheld.{id}</c>: LVS denied for the paragraphs of <paramref name="eccns"/> carrying a column of <paramref name="reason"/>; none when either is empty.</summary>
        private void WriteLvsWithheld(string id, string reason, List<string> eccns, string cclSource, string title, string cite)
        {
            var columns = _columnsUsed.Where(c => c.StartsWith(reason, StringComparison.Ordinal)).ToList();
            if (eccns.Count == 0 || columns.Count == 0)
            {
                return;
            }

            _out.Append("  - id: us.lvs.withheld.").Append(id).Append("\n    license: LVS\n    effect: deny\n    title: ").Append(Quote(title))
                .Append("\n    items: {codes: [").Append(string.Join(", ", eccns.Select(Quote))).Append("], where: {columns: [").Append(string.Join(", ", columns)).Append("]}}")
                .Append("\n    destinations: any\n    cite: ").Append(Quote(cite))
                .Append("\n    source: ").Append(Quote(cclSource)).Append('\n');
        }

        // ---- text -----------------------------------------------------------------------------------------------

        /// <summary>The CFR provision a reference file holds, as counsel writes it: "15 CFR 738 Supp. 1 (Commerce Country Chart)".</summary>
        private static string Provision(JsonElement file) => ShortCfr(file.GetProperty("citation").GetString()!);

        /// <summary>"15 C.F.R. Part 738, Supplement No. 1" → "15 CFR 738 Supp. 1"; "15 C.F.R. § 740.3" → "15 CFR 740.3".</summary>
        private static string ShortCfr(string citation) =>
            CfrSection().Replace(CfrSupplement().Replace(citation, "$1 CFR $2 Supp. $3"), "$1 CFR ");

        /// <summary>The day of the eCFR a reference file was read from: "eCFR 2026-07-23".</summary>
        private static string Ecfr(JsonElement file) => $"eCFR {file.GetProperty("ecfrIssueDate").GetString()}";

        /// <summary>"A", "A and B", "A, B and C".</summary>
        private static string And(IReadOnlyCollection<string> names) =>
            names.Count <= 1 ? string.Join("", names) : $"{string.Join(", ", names.Take(names.Count - 1))} and {names.Last()}";

        private static string Url(JsonElement file) => file.GetProperty("source").GetProperty("url").GetString()!;

        private static string Dollars(decimal value) => "$" + value.ToString("#,0", CultureInfo.InvariantCulture);

        private static string Clip(string text)
        {
            var flat = Whitespace().Replace(text, " ").Trim();
            return flat.Length <= 160 ? flat : flat[..157].TrimEnd() + "...";
        }

        /// <summary>A YAML double-quoted scalar.</summary>
        private static string Quote(string text)
        {
            var b = new StringBuilder(text.Length + 2).Append('"');
            foreach (var c in Whitespace().Replace(text, " "))
            {
                _ = c switch
                {
                    '"' => b.Append("\\\""),
                    '\\' => b.Append("\\\\"),
                    _ => b.Append(c),
                };
            }

            return b.Append('"').ToString();
        }
    }

    [GeneratedRegex(@"^[a-z](\.[a-z0-9]+)*$")]
    private static partial Regex ParagraphCode();

    [GeneratedRegex(@"^\s*([A-Z]{2})\b")]
    private static partial Regex ReasonWord();

    [GeneratedRegex(@"^\s*[A-Z]{2} applies to (.*)$")]
    private static partial Regex ScopeText();

    [GeneratedRegex(@"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s*Column\s*([123])")]
    private static partial Regex ColumnRef();

    [GeneratedRegex(@"^\s*Column\s*([123])")]
    private static partial Regex BareColumn();

    [GeneratedRegex(@"\s*(?:,\s*and\s+|,|;|\s+and\s+)\s*")]
    private static partial Regex ListSeparator();

    [GeneratedRegex(@"^(.+?)\s+(?:to|through)\s+(.+)$")]
    private static partial Regex RangeToken();

    [GeneratedRegex(@"^(?:(\d[A-E]\d{3})\.|\.)?([a-z](?:\.(?:\d+|[a-z]))*)\.?$")]
    private static partial Regex RefToken();

    [GeneratedRegex(@"\b(\d[A-E]\d{3})\.([a-z](?:\.(?:\d+|[a-z]))*)")]
    private static partial Regex QualifiedRef();

    [GeneratedRegex(@"\$([\d,]+)")]
    private static partial Regex DollarValue();

    // "3A001.b.2 or b.3", "9A515.a.1, a.2, a.3, or a.4", "3B001.c.1.a, c.1.c, and .q": group "next" captures the paragraphs
    // named after the first without the ECCN (a bare letter only with its dot, ".q", not to read a word as a paragraph).
    [GeneratedRegex(@"\b(\d[A-E]\d{3})\.([a-z](?:\.(?:\d+|[a-z]))*)(?:(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+)(?:\.(?<next>[a-z](?:\.(?:\d+|[a-z]))*)|(?<next>[a-z](?:\.(?:\d+|[a-z]))+))\b)+")]
    private static partial Regex SeriesContinuation();

    [GeneratedRegex(@"^\$([\d,]+)\.?(?:[,;]?\s*(?:except\s+)?N/A for ((?:MT|NP|CB)(?:(?:,\s*|\s+and\s+)(?:MT|NP|CB))*)(?: items)?\.?)?$")]
    private static partial Regex PlainLvs();

    [GeneratedRegex(@"^\$([\d,]+) for (?:items in )?(.+?)\.?$")]
    private static partial Regex LvsFor();

    [GeneratedRegex(@"^Yes,? for (.+?)\.?$")]
    private static partial Regex GbsFor();

    [GeneratedRegex(@"\b(MT|NP|CB)\b")]
    private static partial Regex ReasonCode();

    [GeneratedRegex(@"^China, Russia,? or Venezuela")]
    private static partial Regex ChinaRussiaVenezuela();

    [GeneratedRegex(@"^paragraphs? ")]
    private static partial Regex Paragraphs();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\b(\d+) C\.F\.R\. Part (\d+), Supplement No\. (\d+)\b")]
    private static partial Regex CfrSupplement();

    [GeneratedRegex(@"\b(\d+) C\.F\.R\. §\s*")]
    private static partial Regex CfrSection();
}
