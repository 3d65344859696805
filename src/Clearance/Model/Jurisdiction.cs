using NodaTime;

namespace Clearance.Model;

/// <summary>
/// One export-control regime: its control list, country sets, requirement rules and licence types. A regime governs an
/// export when the exporting country is one of its <see cref="Exporters"/> on the date, or, if it
/// <see cref="ReachesClassifiedItems"/>, when the shipment carries a classification under it (the EAR reaches
/// re-exports of US items from anywhere).
/// </summary>
/// <param name="Id">Regime id and classification prefix, e.g. "JP" (items "JP:3(1)"), "US", "EU".</param>
/// <param name="Name">Display name.</param>
/// <param name="Law">The governing law, e.g. "Foreign Exchange and Foreign Trade Act (FEFTA)".</param>
/// <param name="CoverageFrom">The first date the content is complete for; earlier dates are indeterminate.</param>
/// <param name="EndUserList">The list id of the jurisdiction's end-user list (e.g. "meti-eul"), or null.</param>
/// <param name="Items">Control-list entries.</param>
/// <param name="Sets">Country tables and groups.</param>
/// <param name="Requirements">Rules that require a licence or prohibit.</param>
/// <param name="Licenses">Licence types.</param>
/// <param name="Scope">What each licence type can authorise over time.</param>
/// <param name="Reviews">Standard review periods.</param>
/// <param name="Citation">The legal basis of the regime.</param>
/// <param name="Source">Where defined.</param>
public sealed record Jurisdiction(
    string Id,
    string Name,
    string Law,
    LocalDate CoverageFrom,
    string? EndUserList,
    IReadOnlyList<ControlEntry> Items,
    IReadOnlyList<CountrySet> Sets,
    IReadOnlyList<RequirementRule> Requirements,
    IReadOnlyList<LicenseType> Licenses,
    IReadOnlyList<LicenseScopeRule> Scope,
    IReadOnlyList<ReviewPeriodRule> Reviews,
    Citation Citation,
    SourceRef Source)
{
    /// <summary>
    /// The exporting countries the regime governs (countries or its own country sets, e.g. the EU member states, so
    /// membership is dated). By default the country whose code is the id.
    /// </summary>
    public DestinationSelector? Exporters { get; init; }

    /// <summary>Whether the regime also governs any export of an item classified under it, from any country.</summary>
    public bool ReachesClassifiedItems { get; init; }

    /// <summary>
    /// When the content does not yet hold the regime's rules: why. Every determination under it is then
    /// indeterminate, naming this, rather than a silent pass.
    /// </summary>
    public string? Incomplete { get; init; }

    /// <summary>
    /// A regular expression the regime's classification codes follow (e.g. ECCNs), used to recognise a code while
    /// <see cref="Items"/> does not list it yet (incomplete content only).
    /// </summary>
    public string? CodePattern { get; init; }

    /// <summary>
    /// The day the content was last reviewed against the law: a determination for a later export date carries a
    /// warning that the rules may have changed since. Null when not given (no warning).
    /// </summary>
    public LocalDate? Reviewed { get; init; }

    /// <summary>
    /// The rules that added parties to the regime's screened lists (<see cref="FactDefinition.ScreenedBy"/>), by their
    /// Federal Register citation, with the day each took effect: a listing counts from its rule's effective date, not from
    /// the day a list file was published.
    /// </summary>
    public IReadOnlyList<ListingRule> ListingRules { get; init; } = [];

    /// <summary>
    /// The day the control list's text is of, when the list is not dated (the EAR's Commerce Control List and Country
    /// Chart are generated from the eCFR of one day): a determination for an earlier export date carries a warning that
    /// the list may have read otherwise then; the dated rules still answer as of the export date. Null: the list holds
    /// for every date covered.
    /// </summary>
    public LocalDate? ListAsOf { get; init; }

    /// <summary>
    /// The licence type whose standard review period a determination reports (<c>review_days</c>): Japan's and Korea's
    /// individual licence ("individual"), the BIS licence under the EAR ("license").
    /// </summary>
    public string IndividualLicense { get; init; } = "individual";

    /// <summary>
    /// What a "no licence required" answer under the regime does not say, appended to its explanation (the EAR's
    /// 738.4(a)(2)(ii)(B): no X on the Country Chart is no licence for that reason only if no General Prohibition
    /// Four to Ten applies).
    /// </summary>
    public string? NoLicenseNote { get; init; }

    /// <summary>Facts the regime's rules test beyond the built-in ones (<see cref="Model.Facts.BuiltIn"/>).</summary>
    public IReadOnlyList<FactDefinition> DeclaredFacts { get; init; } = [];

    /// <summary>Every fact the regime's rules may test: the built-in ones, then the declared ones.</summary>
    public IEnumerable<FactDefinition> AllFacts => Model.Facts.BuiltIn.Concat(DeclaredFacts);

    /// <summary>The exporters as a selector: <see cref="Exporters"/>, or the country the id names, or none.</summary>
    public DestinationSelector? ExporterSelector =>
        Exporters ?? (CountryCode.TryParse(Id, out var country) ? new DestinationSelector(false, [country], [], [], []) : null);

    /// <summary>The control-list entry with the code, or null (a lookup built once per jurisdiction: the EAR's list has thousands).</summary>
    public ControlEntry? FindItem(string code) => ItemLookup.Of(this).ByCode.GetValueOrDefault(code);

    /// <summary>The entries whose parent is <paramref name="code"/>, in list order.</summary>
    public IReadOnlyList<ControlEntry> ChildrenOf(string code) => ItemLookup.Of(this).Children[code].ToList();

    /// <summary>An entry's attributes with those of every entry above it, less the values it does not inherit.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AttributesOf(ControlEntry item) =>
        ItemLookup.Of(this).Attributes.GetOrAdd(item, MergedAttributes);

    /// <summary>
    /// Whether an entry below <paramref name="item"/> leaves out an attribute value it inherits (<see
    /// cref="ControlEntry.NotInherited"/>): a rule that takes the item by that value does not take all of it.
    /// </summary>
    public bool HasNotInheritedBelow(ControlEntry item) => ItemLookup.Of(this).NotInheritedBelow.Contains(item.Code);

    private IReadOnlyDictionary<string, IReadOnlyList<string>> MergedAttributes(ControlEntry item)
    {
        if (item.Parent is null || FindItem(item.Parent) is not { } parent)
        {
            return item.Attributes;
        }

        // The parent's merged attributes, less what this entry does not inherit, then its own: an entry below a
        // not-inherited value does not get it back from above (CompiledRules' item tree merges in the same order).
        var merged = AttributesOf(parent).ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
        foreach (var (key, values) in item.NotInherited)
        {
            if (merged.TryGetValue(key, out var list))
            {
                list.RemoveAll(values.Contains);
            }
        }

        foreach (var (key, values) in item.Attributes)
        {
            if (!merged.TryGetValue(key, out var list))
            {
                merged[key] = list = [];
            }

            list.AddRange(values.Where(v => !list.Contains(v)));
        }

        return merged.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The regime as it was known on <paramref name="knownOn"/>: a rule period or membership whose start was announced
    /// later is left out, and one whose end was announced later runs on (open-ended), so a change announced later is
    /// invisible. A rule left with no period is left out. A set keeps its existence (a rule or membership that needs it is
    /// itself dated), and items have no dates.
    /// </summary>
    public Jurisdiction AsKnownOn(LocalDate knownOn)
    {
        var requirements = KnownRules(Requirements, knownOn, (r, periods) => r with { Periods = periods });
        var kept = requirements.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return this with
        {
            Requirements = requirements,
            RequirementsKnownLater = [.. RequirementsKnownLater.Concat(Requirements.Select(r => r.Id).Where(id => !kept.Contains(id))).Distinct(StringComparer.Ordinal)],
            Scope = KnownRules(Scope, knownOn, (r, periods) => r with { Periods = periods }),
            Reviews = KnownRules(Reviews, knownOn, (r, periods) => r with { Periods = periods }),
            Sets = [.. Sets.Select(s => s with
            {
                Members = [.. s.Members.Select(m => m.Period.AsKnownOn(knownOn) is { } p ? m with { Period = p } : null).OfType<Membership>()],
            })],
        };
    }

    /// <summary>
    /// The requirement rules of the content that a view as known on a day (<see cref="AsKnownOn"/>) leaves out, their
    /// every period announced later: a licence scope's <c>grounds</c> may still name them (the exception answers the
    /// requirement from the day it is known), so the validator accepts the id in the view, where no line can meet it.
    /// Empty for the content itself.
    /// </summary>
    public IReadOnlyList<string> RequirementsKnownLater { get; init; } = [];

    private static IReadOnlyList<T> KnownRules<T>(IReadOnlyList<T> rules, LocalDate knownOn, Func<T, IReadOnlyList<Period>, T> withPeriods)
        where T : IDatedRule
    {
        var known = new List<T>(rules.Count);
        foreach (var rule in rules)
        {
            var periods = rule.Periods.Select(p => p.AsKnownOn(knownOn)).OfType<Period>().ToList();
            if (periods.Count == rule.Periods.Count && periods.SequenceEqual(rule.Periods))
            {
                known.Add(rule);
            }
            else if (periods.Count > 0)
            {
                known.Add(withPeriods(rule, periods));
            }
        }

        return known;
    }

    /// <summary>
    /// Every day on which a change of the regime became known before it took effect (an announcement date given in the
    /// content), ascending, without duplicates: between two of them, and after the last, the regime as known is the same.
    /// </summary>
    public IReadOnlyList<LocalDate> AnnouncementDates() =>
        [.. DatedRules.SelectMany(r => r.Periods).Concat(Sets.SelectMany(s => s.Members).Select(m => m.Period))
            .SelectMany(p => new[] { p.StartKnown?.Date, p.EndKnown?.Date })
            .OfType<LocalDate>()
            .Distinct()
            .Order()];

    /// <summary>All dated rules: requirements, licence scope and review periods.</summary>
    public IEnumerable<IDatedRule> DatedRules => Requirements.Cast<IDatedRule>().Concat(Scope).Concat(Reviews);

    /// <summary>
    /// Every date on which a rule or a set membership takes or ceases effect, ascending, without duplicates. Between two
    /// consecutive dates nothing in the jurisdiction changes.
    /// </summary>
    public IReadOnlyList<LocalDate> ChangeDates() =>
        [.. DatedRules.SelectMany(r => r.Periods).Concat(Sets.SelectMany(s => s.Members).Select(m => m.Period)).Concat(Sets.Select(s => s.Existence))
            .SelectMany(p => p.To is { } to ? new[] { p.From, to } : [p.From])
            .Where(d => d != LocalDate.MinIsoValue)
            .Distinct()
            .Order()];
}

/// <summary>A content error with the file and line it was found at.</summary>
/// <param name="File">Content file.</param>
/// <param name="Line">1-based line, 0 when not known.</param>
/// <param name="Message">What is wrong, naming the field.</param>
public sealed record ContentError(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>Thrown when content does not validate; carries every error found.</summary>
public sealed class ContentValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ContentValidationException(IReadOnlyList<ContentError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Creates an exception with one message.</summary>
    public ContentValidationException(string message)
        : base(message)
    {
        Errors = [new ContentError("", 0, message)];
    }

    /// <summary>Creates an exception with one message and its cause.</summary>
    public ContentValidationException(string message, Exception inner)
        : base(message, inner)
    {
        Errors = [new ContentError("", 0, message)];
    }

    /// <summary>Creates an empty exception.</summary>
    public ContentValidationException()
        : this("content is invalid")
    {
    }

    /// <summary>Every error, with file and line.</summary>
    public IReadOnlyList<ContentError> Errors { get; }
}

/// <summary>One content file as it was loaded: its name and its text.</summary>
/// <param name="Name">The file name, e.g. <c>jp.yaml</c>.</param>
/// <param name="Text">The file's text.</param>
public sealed record ContentFile(string Name, string Text);

/// <summary>A validated, immutable set of jurisdictions with a version id. Build it with <see cref="Create"/>.</summary>
public sealed class ContentSet
{
    private readonly Dictionary<string, Jurisdiction> _byId;

    private ContentSet(string version, IReadOnlyList<Jurisdiction> jurisdictions, IReadOnlyList<ContentFile> files)
    {
        Version = version;
        Jurisdictions = jurisdictions;
        Files = files;
        _byId = jurisdictions.ToDictionary(j => j.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The content version id: reported with every determination so that it can be reproduced.</summary>
    public string Version { get; }

    /// <summary>The jurisdictions.</summary>
    public IReadOnlyList<Jurisdiction> Jurisdictions { get; }

    /// <summary>
    /// The files the set was loaded from, whose hash <see cref="Version"/> is: kept with the determinations recorded
    /// under it so that they can be replayed once the content has changed. Empty for a set built in code.
    /// </summary>
    public IReadOnlyList<ContentFile> Files { get; }

    /// <summary>
    /// The content as it was known on <paramref name="knownOn"/> (see <see cref="Jurisdiction.AsKnownOn"/>), validated,
    /// under the version id <c>VERSION+known-YYYY-MM-DD</c> so that a determination says which knowledge it used. Its
    /// files are the base version's: the view is derived from them and the date.
    /// </summary>
    /// <exception cref="ContentValidationException">When the view is inconsistent (e.g. announcement dates that let two
    /// periods of one membership overlap): the content's announcement dates are wrong.</exception>
    public ContentSet AsKnownOn(LocalDate knownOn) =>
        Create($"{Version}{KnownSuffix}{NodaTime.Text.LocalDatePattern.Iso.Format(knownOn)}", [.. Jurisdictions.Select(j => j.AsKnownOn(knownOn))], Files);

    /// <summary>What separates a content version from the date of knowledge in the version id of a view.</summary>
    public const string KnownSuffix = "+known-";

    /// <summary>Finds a jurisdiction by id (case-insensitive).</summary>
    public Jurisdiction? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// A set of jurisdictions each of which <see cref="Create"/> validated before, with every other jurisdiction of the
    /// same content (Clearance.Content's snapshot, read back in a later process): not validated again. Any other
    /// jurisdictions go through <see cref="Create"/>.
    /// </summary>
    public static ContentSet Validated(string version, IReadOnlyList<Jurisdiction> jurisdictions, IReadOnlyList<ContentFile> files) =>
        new(version, jurisdictions, files);

    /// <summary>Validates and builds a content set, loaded from <paramref name="files"/> when given.</summary>
    /// <exception cref="ContentValidationException">With every error found, each with file and line.</exception>
    public static ContentSet Create(string version, IReadOnlyList<Jurisdiction> jurisdictions, IReadOnlyList<ContentFile>? files = null)
    {
        var errors = ContentValidator.Validate(jurisdictions);
        if (errors.Count == 0)
        {
            // The content as known on each announcement day must hold together too (an end announced after the start of
            // the period that follows it would let the two overlap in the view): checked here, once, for every view.
            foreach (var day in jurisdictions.SelectMany(j => j.AnnouncementDates()).Distinct().Order())
            {
                errors = [.. ContentValidator.Validate([.. jurisdictions.Select(j => j.AsKnownOn(day))])
                    .Select(e => e with { Message = $"as known on {NodaTime.Text.LocalDatePattern.Iso.Format(day)}: {e.Message}" })];
                if (errors.Count > 0)
                {
                    break;
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ContentValidationException(errors);
        }

        return new ContentSet(version, jurisdictions, files ?? []);
    }
}

/// <summary>The control list indexed by code and by parent, built once per jurisdiction instance (records are immutable).</summary>
internal sealed class ItemLookup
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Jurisdiction, ItemLookup> Built = [];

    private ItemLookup(Jurisdiction j)
    {
        // The first entry with a code wins, as a search in list order would find it (the validator refuses repeats).
        ByCode = j.Items.GroupBy(i => i.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Children = j.Items.Where(i => i.Parent is not null).ToLookup(i => i.Parent!, StringComparer.Ordinal);
        NotInheritedBelow = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in j.Items.Where(i => i.NotInherited.Count > 0))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var up = item.Parent; up is not null && seen.Add(up); up = ByCode.GetValueOrDefault(up)?.Parent)
            {
                NotInheritedBelow.Add(up);
            }
        }
    }

    /// <summary>The codes of the entries with an entry below them that leaves out an inherited attribute value.</summary>
    public HashSet<string> NotInheritedBelow { get; }

    public Dictionary<string, ControlEntry> ByCode { get; }

    public ILookup<string, ControlEntry> Children { get; }

    /// <summary>Each entry's attributes merged with its ancestors', computed once (by reference: entries are records).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<ControlEntry, IReadOnlyDictionary<string, IReadOnlyList<string>>> Attributes { get; } =
        new(ReferenceEqualityComparer.Instance);

    public static ItemLookup Of(Jurisdiction j) => Built.GetValue(j, static j => new ItemLookup(j));
}

