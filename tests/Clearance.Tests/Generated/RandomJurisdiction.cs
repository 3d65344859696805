using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Tests.Generated;

/// <summary>The shape of a generated jurisdiction.</summary>
/// <param name="Items">Control-list entries (a forest up to five levels deep).</param>
/// <param name="Sets">Country sets: explicit with dated memberships, unions and residuals.</param>
/// <param name="Requirements">Requirement rules; most select a few codes, a few every item.</param>
/// <param name="Scope">Licence scope rules.</param>
/// <param name="Licenses">Licence types besides "individual".</param>
/// <param name="Reviews">Review-period rules.</param>
/// <param name="AllItemRules">Whether some rules select every item (as catch-all rules do); off for content whose cost per item must not depend on its size.</param>
/// <param name="ExtraFacts">
/// Declared facts beyond the three every shape has (boolean with a default of true, of false or none, enumeration and
/// amount in turn), tested by the rules' conditions and given by the shipments: beyond 64 of them, the fact indexes
/// and the missing-fact codes derived from them cross any 64-bit word.
/// </param>
/// <param name="SharedChangeDays">
/// Whether rule periods, memberships and set existence start and end on a few shared days, a period often starting on
/// the day the one before it ends ([from, to) edges that touch), instead of on days of their own.
/// </param>
/// <param name="ListedSelectors">
/// Whether some entries are catch-all scopes and some selectors take every listed entry (<see cref="ItemSelector.Listed"/>)
/// or leave entries out (<see cref="ItemSelector.Except"/>); off, the shape draws the numbers it drew before them.
/// </param>
public sealed record JurisdictionShape(int Items, int Sets, int Requirements, int Scope, int Licenses, int Reviews, bool AllItemRules = true, int ExtraFacts = 0, bool SharedChangeDays = false, bool ListedSelectors = false)
{
    /// <summary>A small jurisdiction, for the differential test.</summary>
    public static JurisdictionShape Small { get; } = new(40, 12, 40, 30, 4, 6);
}

/// <summary>
/// Random jurisdictions, to test the functions the compiled tables are built from against the reference evaluator on
/// content nobody wrote by hand: deep item hierarchies with attributes, many sets (beyond 64, the old ceiling) with
/// exceptions, unions and residuals, rules with every kind of fact test (gaps and embargoes with exceptions among them),
/// value limits in two currencies with rates, a review date.
/// Shared by the differential test and the benchmark of large content (linked into bench/).
/// </summary>
public static class RandomJurisdiction
{
    private static readonly string[] Reasons = ["NS1", "NS2", "MT1", "AT1", "CB1", "RS2"];
    private static readonly string[] Sectors = ["civil-aviation", "energy", "defence"];
    private static readonly LocalDate Start = new(2015, 1, 1);
    private static readonly Citation Cite = new("generated", null, false, null);

    // The days periods start and end on in shapes with SharedChangeDays: the first before the coverage (2016-01-01).
    private static readonly LocalDate[] ChangeDays = [.. Enumerable.Range(0, 10).Select(k => Start.PlusDays(k * 211))];

    /// <summary>Exchange rates for the generated value limits: USD/JPY moving over the years, EUR/USD once.</summary>
    public static ExchangeRates Rates { get; } = new([
        new ExchangeRate(new LocalDate(2015, 1, 1), "USD", "JPY", 120m),
        new ExchangeRate(new LocalDate(2019, 7, 1), "USD", "JPY", 108m),
        new ExchangeRate(new LocalDate(2023, 1, 1), "USD", "JPY", 140m),
        new ExchangeRate(new LocalDate(2018, 1, 1), "EUR", "USD", 1.1m),
    ]);

    /// <summary>A validated jurisdiction of the given shape; the same seed gives the same content.</summary>
    public static Jurisdiction Create(JurisdictionShape shape, int seed)
    {
        var random = new Random(seed);
        // Only shapes that ask for them draw the extra numbers: the content of every other shape and seed stays as it was.
        List<Period> Dated() => shape.SharedChangeDays ? SharedPeriods(random) : Periods(random);
        var source = new SourceRef("generated.yaml", 1);
        var items = new List<ControlEntry>();
        var depth = new List<int>();
        var groupStart = 0;
        for (var i = 0; i < shape.Items; i++)
        {
            // Rows of 4 to 12 entries, up to five levels deep within a row: the shape of a row does not depend on the
            // size of the list, so larger content has more rows, not larger ones (as a real control list grows).
            if (i == 0 || (i - groupStart >= 4 && random.Next(8) == 0) || i - groupStart >= 12)
            {
                groupStart = i;
            }

            var parentIndex = i == groupStart ? -1 : random.Next(groupStart, i);
            if (parentIndex >= 0 && depth[parentIndex] >= 4)
            {
                parentIndex = groupStart;
            }

            depth.Add(parentIndex < 0 ? 0 : depth[parentIndex] + 1);
            var attributes = new Dictionary<string, IReadOnlyList<string>>();
            if (random.Next(3) == 0)
            {
                attributes["reasons"] = [.. Reasons.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Reasons[0])];
            }

            // A catch-all scope now and then (EAR99, Japan's row 16): not taken by `listed`, nor the entries below it.
            var catchAll = shape.ListedSelectors && random.Next(12) == 0;
            items.Add(new ControlEntry($"I{i}", parentIndex < 0 ? null : items[parentIndex].Code, $"item {i}", catchAll, Cite with { Unconfirmed = random.Next(10) == 0, Note = "generated" }, source) { Attributes = attributes });
        }

        // Make sure some item carries the attribute the selectors name.
        items[0] = items[0] with { Attributes = new Dictionary<string, IReadOnlyList<string>> { ["reasons"] = Reasons } };

        var sets = new List<CountrySet>();
        for (var s = 0; s < shape.Sets; s++)
        {
            var kind = s < 3 ? CountrySetKind.Explicit : (CountrySetKind)(random.Next(6) switch { < 4 => 0, 4 => 1, _ => 2 });
            var of = kind == CountrySetKind.Explicit ? [] : Enumerable.Range(0, random.Next(1, 4)).Select(_ => sets[random.Next(s)].Id).Distinct().ToList();
            var members = new List<Membership>();
            if (kind == CountrySetKind.Explicit)
            {
                foreach (var country in Countries(random, random.Next(1, 25)))
                {
                    // Some records flagged, without drawing from the generator (the shapes of other seeds stay as they were).
                    members.AddRange(Dated().Select(p => new Membership(country, p, Cite with { Unconfirmed = (country.Index + members.Count) % 7 == 0, Note = "generated" }, source)));
                }
            }

            sets.Add(new CountrySet($"s{s}", $"Set {s}", kind, members, of, random.Next(4) == 0, null, Cite with { Unconfirmed = random.Next(8) == 0, Note = "generated" }, source)
            {
                // Some sets exist only from a date, or only until one (Japan's Groups A-D from 2 Aug 2019).
                Existence = (s % 7) switch { 5 => new Period(new LocalDate(2019, 8, 2), null), 6 => new Period(LocalDate.MinIsoValue, new LocalDate(2021, 3, 1)), _ => Period.Always },
            });
            if (shape.SharedChangeDays && s % 7 is 4 or 5 or 6)
            {
                sets[s] = sets[s] with { Existence = SharedPeriods(random)[0] };
            }
        }

        var facts = new List<FactDefinition>
        {
            new("military_end_user", FactType.Boolean, [], "generated", DefaultWhenMissing: random.Next(2) == 0 ? false : null),
            new("sector", FactType.Enumeration, Sectors, "generated"),
            new("power", FactType.Amount, [], "generated"),
        };
        facts.AddRange(Enumerable.Range(0, shape.ExtraFacts).Select(ExtraFact));
        var extraFacts = facts.Skip(3).ToList();

        var licences = new List<LicenseType> { new("individual", "Individual", null, Cite, source) };
        licences.AddRange(Enumerable.Range(0, shape.Licenses).Select(l => new LicenseType($"L{l}", $"Licence {l}", null, Cite, source)));

        var requirements = Enumerable.Range(0, shape.Requirements).Select(r => new RequirementRule(
            $"r{r}",
            random.Next(20) switch { 0 => RequirementKind.Embargo, 1 => RequirementKind.Gap, _ => (RequirementKind)random.Next(3) },
            $"requirement {r}",
            Items(random, items, anyChance: shape.AllItemRules ? 8 : 0, shape.ListedSelectors),
            Destinations(random, sets),
            When(random, extraFacts),
            Dated(),
            Cite with { Unconfirmed = random.Next(10) == 0, Note = "generated" },
            source)).Select((rule, r) => rule.Kind == RequirementKind.Embargo && r % 2 == 0
                ? rule with { Exception = new RuleException(licences[r % licences.Count].Id, $"exception {r}") }
                : rule).Select((rule, r) => r % 5 == 4 && sets.Count > 0
            // Requirements for re-exports from some countries only (the EAR's 744.11(a)(2)(v)(A)(2)-(3)), chosen without
            // drawing on the seed's sequence.
            ? rule with { ExportedFrom = new DestinationSelector(r % 10 == 9, [CountryCode.All[r * 17 % CountryCode.Count]], [sets[r % sets.Count].Id], [CountryCode.All[r * 29 % CountryCode.Count]], []) }
            : rule).ToList();

        var scope = Enumerable.Range(0, shape.Scope).Select(s => new LicenseScopeRule(
            $"p{s}",
            licences[random.Next(licences.Count)].Id,
            random.Next(4) == 0 ? ScopeEffect.Deny : ScopeEffect.Allow,
            $"scope {s}",
            Items(random, items, anyChance: shape.AllItemRules ? 6 : 0, shape.ListedSelectors),
            Destinations(random, sets),
            random.Next(3) == 0 ? [(RequirementKind)random.Next(4)] : [],
            random.Next(5) == 0 ? "a condition the engine cannot check" : null,
            Dated(),
            Cite,
            source)
        {
            When = random.Next(3) == 0 ? When(random, extraFacts) : FactCondition.None,
        }).Select((rule, s) => rule.Effect == ScopeEffect.Allow && requirements.Count > 0 && s % 3 == 1
            // Allows that answer only some requirements by id (the EAR's licence exceptions, reason by reason).
            ? rule with { GroundRules = [.. new[] { requirements[s * 7 % requirements.Count].Id, requirements[s * 11 % requirements.Count].Id }.Distinct()] }
            : rule).Select((rule, s) => s % 4 == 3 && sets.Count > 0
            // Rules for re-exports from some countries only (the EAR's APR), chosen without drawing on the seed's sequence.
            ? rule with { ExportedFrom = new DestinationSelector(s % 8 == 7, [CountryCode.All[s * 13 % CountryCode.Count]], [sets[s % sets.Count].Id], [], []) }
            : rule).ToList();

        var reviews = Enumerable.Range(0, shape.Reviews).Select(v => new ReviewPeriodRule(
            $"v{v}", random.Next(4) == 0 ? licences[random.Next(licences.Count)].Id : "individual", random.Next(1, 120), Destinations(random, sets), Dated(), Cite, source)).ToList();

        var jurisdiction = new Jurisdiction("XG", "Generated", "generated", new LocalDate(2016, 1, 1), "generated-eul",
            items, sets, requirements, licences, scope, reviews, Cite, source)
        {
            Exporters = new DestinationSelector(false, [CountryCode.Parse("XK")], [], [], []),
            DeclaredFacts = facts,
            Reviewed = new LocalDate(2024, 6, 30),
        };
        return ContentSet.Create("generated", [jurisdiction]).Jurisdictions[0];
    }

    /// <summary>Shipments for a generated jurisdiction: half on the days around its change dates, facts of every kind.</summary>
    public static ShipmentFacts[] Shipments(CompiledJurisdiction compiled, int count, int seed)
    {
        var random = new Random(seed);
        var edges = compiled.EpochStarts.Where(d => d.Year > 2000).SelectMany(d => new[] { d, d.PlusDays(-1) }).ToArray();
        var shipments = new ShipmentFacts[count];
        for (var i = 0; i < count; i++)
        {
            var date = i % 2 == 0 && edges.Length > 0 ? edges[random.Next(edges.Length)] : Start.PlusDays(random.Next(0, 4000));
            var declared = random.Next(3) == 0 ? null : new Dictionary<string, string>
            {
                ["military_end_user"] = random.Next(2) == 0 ? "true" : "false",
                ["sector"] = Sectors[random.Next(Sectors.Length)],
                ["power"] = $"{random.Next(0, 2000)} {(random.Next(4) == 0 ? "kW" : "W")}",
            }.Where(_ => random.Next(4) != 0).ToDictionary();
            foreach (var fact in compiled.Model.DeclaredFacts.Skip(3))
            {
                if (declared is not null && random.Next(4) != 0)
                {
                    declared[fact.Id] = ExtraFactText(random, fact);
                }
            }

            shipments[i] = new ShipmentFacts(date, random.Next(compiled.Model.Items.Count), CountryCode.All[random.Next(CountryCode.Count)],
                (EndUse)random.Next(4), random.Next(2) == 0, (EndUserStatus)random.Next(5))
            {
                Value = random.Next(4) == 0 ? null : new Amount(random.Next(0, 400_000) / 100m * (random.Next(3) == 0 ? 100 : 1), new[] { "USD", "JPY", "EUR", "KRW" }[random.Next(4)]),
                Quantity = random.Next(3) == 0 ? null : new Amount(random.Next(0, 50), random.Next(3) == 0 ? "lb" : "kg"),
                Declared = declared,
                From = i % 3 == 0 ? null : CountryCode.All[i * 31 % CountryCode.Count],
            };
        }

        return shipments;
    }

    private static IEnumerable<CountryCode> Countries(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => CountryCode.All[random.Next(CountryCode.Count)]).Distinct();

    private static List<Period> Periods(Random random)
    {
        var periods = new List<Period>();
        var from = random.Next(4) == 0 ? LocalDate.MinIsoValue : Start.PlusDays(random.Next(0, 1500));
        for (var p = 0; p < random.Next(1, 3); p++)
        {
            LocalDate? to = random.Next(3) == 0 ? null : (from == LocalDate.MinIsoValue ? Start : from).PlusDays(random.Next(1, 1500));
            periods.Add(new Period(from, to));
            if (to is not { } end)
            {
                break;
            }

            from = end.PlusDays(random.Next(1, 400));
        }

        return periods;
    }

    /// <summary>
    /// Periods on the shared change days: one to three, each ending on a later shared day or open, the next starting on
    /// the day the previous one ends (edges that touch) or on a later shared day.
    /// </summary>
    private static List<Period> SharedPeriods(Random random)
    {
        var periods = new List<Period>();
        var at = random.Next(-1, ChangeDays.Length - 1); // -1: since before the content's coverage
        while (true)
        {
            var from = at < 0 ? LocalDate.MinIsoValue : ChangeDays[at];
            var later = ChangeDays.Length - 1 - at; // shared days after this period's start
            if (periods.Count == 2 || later == 0 || random.Next(4) == 0)
            {
                periods.Add(new Period(from, null));
                return periods;
            }

            var end = at + 1 + random.Next(Math.Min(3, later));
            periods.Add(new Period(from, ChangeDays[end]));
            at = random.Next(2) == 0 ? end : end + 1;
            if (at >= ChangeDays.Length)
            {
                return periods;
            }
        }
    }

    /// <summary>Extra declared fact <paramref name="k"/>: a boolean defaulting to true, to false or to nothing, an enumeration, an amount, in turn.</summary>
    private static FactDefinition ExtraFact(int k) => (k % 5) switch
    {
        0 => new FactDefinition($"extra_{k}", FactType.Boolean, [], "generated", DefaultWhenMissing: true),
        1 => new FactDefinition($"extra_{k}", FactType.Boolean, [], "generated", DefaultWhenMissing: false),
        2 => new FactDefinition($"extra_{k}", FactType.Boolean, [], "generated"),
        3 => new FactDefinition($"extra_{k}", FactType.Enumeration, Sectors, "generated"),
        _ => new FactDefinition($"extra_{k}", FactType.Amount, [], "generated"),
    };

    /// <summary>A shipment's text for an extra declared fact: of its type, or (for the enumeration and the amount) one the rules cannot read.</summary>
    private static string ExtraFactText(Random random, FactDefinition fact) => fact.Type switch
    {
        FactType.Boolean => random.Next(2) == 0 ? "true" : "false",
        FactType.Enumeration => random.Next(5) == 0 ? "unlisted" : Sectors[random.Next(Sectors.Length)],
        _ => random.Next(6) switch { 0 => "a lot", 1 => $"{random.Next(0, 2000)} kW", _ => $"{random.Next(0, 2000)} W" },
    };

    private static ItemSelector Items(Random random, List<ControlEntry> items, int anyChance, bool listedSelectors)
    {
        var any = anyChance > 0 && random.Next(anyChance) == 0;
        var listed = listedSelectors && !any && random.Next(6) == 0;
        var codes = any || listed ? [] : Enumerable.Range(0, random.Next(1, 4)).Select(_ => items[random.Next(items.Count)].Code).Distinct().ToList();
        var byCode = items.ToDictionary(i => i.Code, StringComparer.Ordinal);
        IEnumerable<ControlEntry> Chain(ControlEntry item)
        {
            for (var current = item; current is not null; current = current.Parent is null ? null : byCode[current.Parent])
            {
                yield return current;
            }
        }

        // Exceptions among the entries the rest of the selector takes (the validator refuses others): an entry and, now
        // and then, one below another exception.
        var taken = items.Where(i => any || (listed ? !Chain(i).Any(c => c.CatchAll) : Chain(i).Any(c => codes.Contains(c.Code)))).ToList();
        var except = listedSelectors && taken.Count > 0 && random.Next(4) == 0
            ? Enumerable.Range(0, random.Next(1, 3)).Select(_ => taken[random.Next(taken.Count)].Code).Distinct().ToList()
            : [];
        return new ItemSelector(any, codes)
        {
            Listed = listed,
            Where = random.Next(5) == 0
                ? new Dictionary<string, IReadOnlyList<string>> { ["reasons"] = [Reasons[random.Next(Reasons.Length)], Reasons[random.Next(Reasons.Length)]] }
                : new Dictionary<string, IReadOnlyList<string>>(),
            Except = except,
        };
    }

    private static DestinationSelector Destinations(Random random, List<CountrySet> sets)
    {
        if (random.Next(6) == 0)
        {
            return new DestinationSelector(true, [], [], [.. Countries(random, random.Next(0, 3))], random.Next(3) == 0 ? [sets[random.Next(sets.Count)].Id] : []);
        }

        var countries = random.Next(2) == 0 ? Countries(random, random.Next(1, 5)).ToList() : [];
        var named = Enumerable.Range(0, random.Next(countries.Count == 0 ? 1 : 0, 3)).Select(_ => sets[random.Next(sets.Count)].Id).Distinct().ToList();
        var exceptSets = random.Next(4) == 0 ? new List<string> { sets[random.Next(sets.Count)].Id } : [];
        return new DestinationSelector(false, countries, named, [.. Countries(random, random.Next(0, 2))], exceptSets);
    }

    private static FactCondition When(Random random, List<FactDefinition> extraFacts)
    {
        var tests = new List<FactTest>();
        if (random.Next(3) == 0)
        {
            tests.Add(new OneOfTest(Facts.EndUse, [.. new[] { "civil", "wmd", "conventional-military" }.Where(_ => random.Next(2) == 0).DefaultIfEmpty("wmd")]));
        }

        if (random.Next(5) == 0)
        {
            tests.Add(new FlagTest(Facts.Informed, random.Next(2) == 0));
        }

        if (random.Next(5) == 0)
        {
            tests.Add(new FlagTest(Facts.EndUserListed, random.Next(2) == 0));
        }

        if (random.Next(4) == 0)
        {
            tests.Add(new CompareTest(Facts.Value, (Comparison)random.Next(5), new Amount(random.Next(0, 5000), random.Next(2) == 0 ? "USD" : "JPY")));
        }

        if (random.Next(6) == 0)
        {
            tests.Add(new CompareTest(Facts.Quantity, (Comparison)random.Next(5), new Amount(random.Next(0, 50), "kg")));
        }

        switch (random.Next(8))
        {
            case 0:
                tests.Add(new FlagTest("military_end_user", random.Next(2) == 0));
                break;
            case 1:
                tests.Add(new OneOfTest("sector", [Sectors[random.Next(Sectors.Length)]]));
                break;
            case 2:
                tests.Add(new CompareTest("power", (Comparison)random.Next(5), new Amount(random.Next(0, 2000), "W")));
                break;
        }

        if (extraFacts.Count > 0 && random.Next(2) == 0)
        {
            var fact = extraFacts[random.Next(extraFacts.Count)];
            tests.Add(fact.Type switch
            {
                FactType.Boolean => new FlagTest(fact.Id, random.Next(2) == 0),
                FactType.Enumeration => new OneOfTest(fact.Id, [.. Sectors.Where(_ => random.Next(2) == 0).DefaultIfEmpty(Sectors[0])]),
                _ => new CompareTest(fact.Id, (Comparison)random.Next(5), new Amount(random.Next(0, 2000), "W")),
            });
        }

        return new FactCondition(tests);
    }
}
