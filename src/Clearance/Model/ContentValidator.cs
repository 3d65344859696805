namespace Clearance.Model;

/// <summary>Checks a model's invariants: ids unique, every reference resolves, no overlapping periods.</summary>
public static class ContentValidator
{
    /// <summary>Every error found, in file order.</summary>
    public static IReadOnlyList<ContentError> Validate(IReadOnlyList<Jurisdiction> jurisdictions)
    {
        var errors = new List<ContentError>();
        void Error(SourceRef at, string message) => errors.Add(new ContentError(at.File, at.Line, message));

        foreach (var group in jurisdictions.GroupBy(j => j.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            Error(group.Last().Source, $"jurisdiction '{group.Key}' is defined more than once");
        }

        foreach (var j in jurisdictions)
        {
            ValidateJurisdiction(j, Error);
        }

        return [.. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line)];
    }

    private static void ValidateJurisdiction(Jurisdiction j, Action<SourceRef, string> error)
    {
        var items = Unique(j.Items, i => i.Code, i => i.Source, "item", error);
        var sets = Unique(j.Sets, s => s.Id, s => s.Source, "country set", error);
        var licences = Unique(j.Licenses, l => l.Id, l => l.Source, "licence type", error);
        Unique(j.DatedRules, r => r.Id, r => r.Source, "rule", error);

        foreach (var item in j.Items.Where(i => i.Parent is not null && !items.Contains(i.Parent)))
        {
            error(item.Source, $"item '{item.Code}': parent '{item.Parent}' is not defined");
        }

        CheckItemCycles(j, error);
        CheckNotInherited(j, error);
        if (j.ExporterSelector is null && !j.ReachesClassifiedItems)
        {
            error(j.Source, Evaluation.Evaluator.UnreachableMessage(j));
        }

        if (j.Exporters is { } exporters)
        {
            foreach (var set in exporters.Sets.Concat(exporters.ExceptSets).Where(s => !sets.Contains(s)))
            {
                error(j.Source, $"jurisdiction '{j.Id}': 'exporters' names undefined country set '{set}'");
            }
        }

        if (j.CodePattern is { } pattern)
        {
            if (j.Incomplete is null)
            {
                error(j.Source, $"jurisdiction '{j.Id}': 'code_pattern' is for incomplete content only (complete content lists its items)");
            }

            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern);
            }
            catch (ArgumentException e)
            {
                error(j.Source, $"jurisdiction '{j.Id}': 'code_pattern' is not a regular expression: {e.Message}");
            }
        }

        Unique(j.DeclaredFacts, f => f.Id, _ => j.Source, "fact", error);
        Unique(j.ListingRules, r => r.Rule, r => r.Source, "listing rule", error);
        foreach (var rule in j.ListingRules.Where(r => r.Published is { } published && published < r.Effective.PlusDays(-366)))
        {
            // An effective date more than a year after publication is a typing error, not a delayed rule.
            error(rule.Source, $"listing rule '{rule.Rule}': effective {rule.Effective} is more than a year after its publication {rule.Published}");
        }
        var attributes = j.Items.SelectMany(i => i.Attributes.Keys).ToHashSet(StringComparer.Ordinal);

        foreach (var set in j.Sets)
        {
            foreach (var other in set.Of.Where(o => !sets.Contains(o)))
            {
                error(set.Source, $"country set '{set.Id}': 'of' names undefined set '{other}'");
            }

            foreach (var country in set.Members.GroupBy(m => m.Country))
            {
                CheckOverlaps(country.Select(m => (m.Period, m.Source)), $"country set '{set.Id}': membership of {country.Key}", error);
            }
        }

        CheckCycles(j, error);

        foreach (var rule in j.DatedRules)
        {
            if (rule.Periods.Count == 0)
            {
                error(rule.Source, $"rule '{rule.Id}': 'periods' is empty");
            }

            CheckOverlaps(rule.Periods.Select(p => (p, rule.Source)), $"rule '{rule.Id}'", error);
        }

        void CheckItems(ItemSelector selector, IDatedRule rule)
        {
            foreach (var code in selector.Codes.Where(c => !items.Contains(c)))
            {
                error(rule.Source, $"rule '{rule.Id}': item '{code}' is not defined");
            }

            // An exception must be an entry the rest of the selector takes: one it does not take would except nothing
            // (a typo, or a rule that no longer says what its author meant).
            foreach (var code in selector.Except)
            {
                if (!items.Contains(code))
                {
                    error(rule.Source, $"rule '{rule.Id}': 'except' names item '{code}', which is not defined");
                }
                else if (!Selects(j, selector, j.FindItem(code)!))
                {
                    error(rule.Source, $"rule '{rule.Id}': 'except' names item '{code}', which its items ({selector with { Except = [] }}) do not take");
                }
            }

            // An attribute no item carries is a typo that would silently select nothing.
            foreach (var key in selector.Where.Keys.Where(k => !attributes.Contains(k)))
            {
                error(rule.Source, $"rule '{rule.Id}': 'where' names attribute '{key}', which no item has");
            }
        }

        var facts = j.AllFacts.GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        void CheckConditions(FactCondition condition, IDatedRule rule)
        {
            // The loader checks these as it parses; content built in code (generators, tools) is checked here.
            foreach (var test in condition.Tests)
            {
                if (!facts.TryGetValue(test.Fact, out var fact))
                {
                    error(rule.Source, $"rule '{rule.Id}': 'when' names '{test.Fact}', which is not a fact of {j.Id}");
                    continue;
                }

                var fits = (test, fact.Type) switch
                {
                    (FlagTest, FactType.Boolean) => true,
                    (OneOfTest oneOf, FactType.Enumeration) => oneOf.Values.All(fact.Values.Contains),
                    (CompareTest, FactType.Amount) => true,
                    _ => false,
                };
                if (!fits)
                {
                    error(rule.Source, $"rule '{rule.Id}': 'when.{test.Fact}': {test} does not fit the {fact.Type.ToString().ToLowerInvariant()} fact");
                }
            }
        }

        void CheckDestinations(DestinationSelector selector, IDatedRule rule)
        {
            foreach (var set in selector.Sets.Concat(selector.ExceptSets).Where(s => !sets.Contains(s)))
            {
                error(rule.Source, $"rule '{rule.Id}': country set '{set}' is not defined");
            }
        }

        void CheckLicense(string licence, IDatedRule rule)
        {
            if (!licences.Contains(licence))
            {
                error(rule.Source, $"rule '{rule.Id}': licence type '{licence}' is not defined");
            }
        }

        foreach (var rule in j.Requirements)
        {
            CheckItems(rule.Items, rule);
            CheckDestinations(rule.Destinations, rule);
            if (rule.ExportedFrom is { } exportedFrom)
            {
                CheckDestinations(exportedFrom, rule);
            }

            CheckConditions(rule.When, rule);
            if (rule.Exception is { } exception)
            {
                if (rule.Kind != RequirementKind.Embargo)
                {
                    error(rule.Source, $"rule '{rule.Id}': 'exception' is only for an embargo (a prohibition with an exception it provides)");
                }

                CheckLicense(exception.License, rule);
            }
        }

        // A ground may name a requirement the content holds from a later date, or (in a view as known on a day) one
        // announced later: the id names a real rule, which no line meets before it applies. A name no rule of the
        // content has is an error on every date.
        var requirementIds = j.Requirements.Select(r => r.Id).Concat(j.RequirementsKnownLater).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in j.Scope)
        {
            foreach (var ground in rule.GroundRules.Where(g => !requirementIds.Contains(g)))
            {
                error(rule.Source, $"rule '{rule.Id}': 'grounds': '{ground}' is neither a requirement kind (list, catch-all, end-user, embargo, gap) nor a requirement id");
            }

            if (rule.GroundRules.Count > 0 && rule.Effect == ScopeEffect.Deny)
            {
                error(rule.Source, $"rule '{rule.Id}': 'grounds' limits what an allow answers; a deny withdraws the licence type whatever the grounds");
            }

            CheckItems(rule.Items, rule);
            CheckDestinations(rule.Destinations, rule);
            if (rule.ExportedFrom is { } exportedFrom)
            {
                CheckDestinations(exportedFrom, rule);
            }

            CheckConditions(rule.When, rule);
            CheckLicense(rule.License, rule);
        }

        foreach (var rule in j.Reviews)
        {
            CheckDestinations(rule.Destinations, rule);
            CheckLicense(rule.License, rule);
        }
    }

    /// <summary>Whether the selector's any, listed or codes (not its where) take the entry; stops at a cycle of parents (refused on its own).</summary>
    private static bool Selects(Jurisdiction j, ItemSelector selector, ControlEntry entry)
    {
        if (selector.Any)
        {
            return true;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = entry; current is not null && seen.Add(current.Code); current = current.Parent is null ? null : j.FindItem(current.Parent))
        {
            if (selector.Listed ? current.CatchAll : selector.Codes.Contains(current.Code, StringComparer.Ordinal))
            {
                return !selector.Listed;
            }
        }

        return selector.Listed;
    }

    private static HashSet<string> Unique<T>(IEnumerable<T> elements, Func<T, string> id, Func<T, SourceRef> source, string what, Action<SourceRef, string> error)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            if (!seen.Add(id(element)))
            {
                error(source(element), $"{what} '{id(element)}' is defined more than once");
            }
        }

        return seen;
    }

    private static void CheckOverlaps(IEnumerable<(Period Period, SourceRef Source)> periods, string what, Action<SourceRef, string> error)
    {
        var sorted = periods.OrderBy(p => p.Period.From).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i - 1].Period.Overlaps(sorted[i].Period))
            {
                error(sorted[i].Source, $"{what}: period {sorted[i].Period} overlaps {sorted[i - 1].Period}");
            }
        }
    }

    private static void CheckItemCycles(Jurisdiction j, Action<SourceRef, string> error)
    {
        var parents = j.Items.GroupBy(i => i.Code).ToDictionary(g => g.Key, g => g.First().Parent, StringComparer.Ordinal);
        foreach (var item in j.Items)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { item.Code };
            for (var parent = item.Parent; parent is not null; parent = parents.GetValueOrDefault(parent))
            {
                if (!seen.Add(parent))
                {
                    error(item.Source, $"item '{item.Code}': its parents form a cycle through '{parent}'");
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Each <c>not_inherited</c> value must be one an entry above has, and not the entry's own: a value no entry above
    /// carries would take nothing out (a typing error, or a control the generator no longer writes), and one the entry
    /// also declares would contradict itself.
    /// </summary>
    private static void CheckNotInherited(Jurisdiction j, Action<SourceRef, string> error)
    {
        var byCode = j.Items.GroupBy(i => i.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var item in j.Items.Where(i => i.NotInherited.Count > 0))
        {
            if (item.Parent is null)
            {
                error(item.Source, $"item '{item.Code}': 'not_inherited' needs a parent to inherit from");
                continue;
            }

            var above = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal) { item.Code };
            for (var up = byCode.GetValueOrDefault(item.Parent); up is not null && seen.Add(up.Code); up = up.Parent is null ? null : byCode.GetValueOrDefault(up.Parent))
            {
                foreach (var (key, values) in up.Attributes)
                {
                    if (!above.TryGetValue(key, out var set))
                    {
                        above[key] = set = new HashSet<string>(StringComparer.Ordinal);
                    }

                    set.UnionWith(values);
                }
            }

            foreach (var (key, values) in item.NotInherited)
            {
                if (values.Count == 0)
                {
                    error(item.Source, $"item '{item.Code}': 'not_inherited.{key}' lists no value");
                }

                foreach (var value in values.Where(v => !above.TryGetValue(key, out var set) || !set.Contains(v)))
                {
                    error(item.Source, $"item '{item.Code}': 'not_inherited' {key} '{value}' is not an attribute of an entry above it");
                }

                foreach (var value in values.Where(v => item.Attributes.TryGetValue(key, out var own) && own.Contains(v)))
                {
                    error(item.Source, $"item '{item.Code}': {key} '{value}' is both its own attribute and 'not_inherited'");
                }
            }
        }
    }

    private static void CheckCycles(Jurisdiction j, Action<SourceRef, string> error)
    {
        var byId = j.Sets.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var set in j.Sets)
        {
            var stack = new Stack<string>(set.Of);
            var seen = new HashSet<string>();
            while (stack.Count > 0)
            {
                var next = stack.Pop();
                if (next == set.Id)
                {
                    error(set.Source, $"country set '{set.Id}' is defined in terms of itself");
                    break;
                }

                if (seen.Add(next) && byId.TryGetValue(next, out var other))
                {
                    foreach (var o in other.Of)
                    {
                        stack.Push(o);
                    }
                }
            }
        }
    }
}
