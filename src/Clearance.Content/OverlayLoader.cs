using System.Text;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;
using YamlDotNet.RepresentationModel;

namespace Clearance.Content;

/// <summary>
/// Applies overlay files (proposed or hypothetical changes written in the content format, docs/content.md "Overlays")
/// to a content set: memberships and rules ended or added, licence-scope and requirement rules and control-list rows
/// added. Parsing is as strict as the content's (unknown keys, unknown ids and an end outside the period it ends are
/// errors with file:line), and the result is validated like any content. Every element the overlay makes or ends is
/// flagged unconfirmed with a note naming the proposal, so every result it affects shows that it rests on a proposal.
/// </summary>
public static class OverlayLoader
{
    /// <summary>What separates a content version from an overlay's hash in the version id of an overlaid set.</summary>
    public const string OverlaySuffix = "+overlay-";

    /// <summary>Applies the overlay files (path, in order) to <paramref name="content"/>.</summary>
    /// <exception cref="ContentValidationException">With every error found, each with file and line (also for an unreadable file).</exception>
    public static ContentSet ApplyFiles(ContentSet content, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            string text;
            try
            {
                text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                throw new ContentValidationException([new ContentError(path, 0, $"cannot read the overlay: {e.Message}")]);
            }

            content = Apply(content, path, text);
        }

        return content;
    }

    /// <summary>
    /// Applies one overlay, named <paramref name="file"/> in errors and sources, to <paramref name="content"/>: a validated
    /// set whose version is <c>VERSION+overlay-sha256:…</c> (a hash of the overlay's text) and whose files are the base
    /// files and the overlay.
    /// </summary>
    /// <exception cref="ContentValidationException">With every error found, each with file and line.</exception>
    public static ContentSet Apply(ContentSet content, string file, string text)
    {
        ArgumentNullException.ThrowIfNull(content);
        var errors = new List<ContentError>();
        if (JurisdictionParser.Document(file, text, errors) is not { } document)
        {
            throw new ContentValidationException(errors);
        }

        Jurisdiction? changed = null;
        try
        {
            changed = new OverlayParser(file, content, errors).Apply(document);
        }
        catch (ElementException e)
        {
            errors.Add(e.Error);
        }

        if (errors.Count > 0 || changed is null)
        {
            throw new ContentValidationException(errors);
        }

        var version = content.Version + OverlaySuffix + ContentLoader.Version([(Path.GetFileName(file), text)]);
        var jurisdictions = content.Jurisdictions.Select(j => j.Id == changed.Id ? changed : j).ToList();
        return ContentSet.Create(version, jurisdictions, [.. content.Files, new ContentFile(Path.GetFileName(file), text)]);
    }
}

/// <summary>Parses one overlay and applies its changes to the jurisdiction it names.</summary>
internal sealed class OverlayParser(string file, ContentSet content, List<ContentError> errors)
{
    private Citation _proposal = null!;
    private string _title = "";
    private Announcement _known = null!;

    public Jurisdiction? Apply(YamlNode document)
    {
        var root = new YamlNodes(file, document, "overlay file");
        var head = new YamlNodes(file, root.Node("overlay") ?? throw root.Fail("'overlay' is required: {jurisdiction, title, known, cite}"), "overlay");
        var id = head.Required("jurisdiction");
        var jurisdiction = content.Find(id) ?? throw head.Fail(head.Node("jurisdiction")!,
            $"'jurisdiction': '{id}' is not in the content (jurisdictions: {string.Join(", ", content.Jurisdictions.Select(j => j.Id))})");
        var title = head.Required("title");
        var known = head.Date("known") ?? throw head.Fail("'known': the day the proposal became known (YYYY-MM-DD) is required");
        var cite = head.Citation();
        head.RejectUnknown();
        // The proposal is not law: every element it makes or ends says so, whatever its own citation claims.
        _title = title;
        _proposal = Proposed(cite);
        _known = new Announcement(known, _proposal);

        var before = errors.Count;
        foreach (var node in root.Sequence("changes"))
        {
            try
            {
                jurisdiction = Change(jurisdiction, node);
            }
            catch (ElementException e)
            {
                errors.Add(e.Error);
            }
            catch (ArgumentException e)
            {
                errors.Add(new ContentError(file, (int)node.Start.Line, $"changes: {e.Message}"));
            }
        }

        if (root.Node("changes") is null)
        {
            throw root.Fail("'changes' is required: a list of end_membership, add_membership, end_rule, requirement, license_scope and item");
        }

        root.RejectUnknown();
        return errors.Count > before ? null : jurisdiction;
    }

    private const string ProposedNote = "proposed, not in force";

    private Citation Proposed(Citation citation, string? change = null) =>
        citation.Note?.StartsWith(ProposedNote, StringComparison.Ordinal) == true && change is null ? citation : citation with
        {
            Unconfirmed = true,
            Note = $"{ProposedNote}{(change is null ? "" : " (" + change + ")")}: overlay '{_title}' ({Path.GetFileName(file)})" + (citation.Note is { } note ? "; " + note : ""),
        };

    private Jurisdiction Change(Jurisdiction j, YamlNode node)
    {
        var change = new YamlNodes(file, node, "change");
        var entries = change.Entries().ToList();
        if (entries.Count != 1)
        {
            throw change.Fail("a change is one of end_membership, add_membership, end_rule, requirement, license_scope, item");
        }

        var (kind, body) = entries[0];
        var n = new YamlNodes(file, body, kind);
        var result = kind switch
        {
            "end_membership" => EndMembership(j, n),
            "add_membership" => AddMembership(j, n),
            "end_rule" => EndRule(j, n),
            "requirement" => AddRule(j, n, JurisdictionParser.ParseRequirement(n, [.. j.AllFacts]), r => j with { Requirements = [.. j.Requirements, r] }),
            "license_scope" => AddRule(j, n, JurisdictionParser.ParseScope(n, [.. j.AllFacts]), r => j with { Scope = [.. j.Scope, r] }),
            "item" => AddItem(j, n),
            _ => throw change.Fail(body, $"unknown change '{kind}' (end_membership, add_membership, end_rule, requirement, license_scope, item)"),
        };
        n.RejectUnknown();
        return result;
    }

    private Jurisdiction EndMembership(Jurisdiction j, YamlNodes n)
    {
        var (set, country) = Membership(j, n);
        var on = n.Date("on") ?? throw n.Fail("'on': the first day the country is no longer a member is required");
        var cite = n.Citation(_proposal);
        var index = IndexOf(set.Members, m => m.Country == country && m.Period.From < on && (m.Period.To is not { } to || on < to));
        if (index < 0)
        {
            throw n.Fail(n.Node("on")!, $"'on': {country} is not a member of '{set.Id}' on both {Day(on.PlusDays(-1))} and {Day(on)}, so no membership ends on {Day(on)} (memberships: {string.Join(", ", set.Members.Where(m => m.Country == country).Select(m => m.Period))})");
        }

        var member = set.Members[index];
        var ended = member with
        {
            Period = new Period(member.Period.From, on) { StartKnown = member.Period.StartKnown, EndKnown = _known with { Citation = Proposed(cite) } },
            Citation = Amended(member.Citation, cite, on),
            Source = n.Source,
        };
        return ReplaceSet(j, set with { Members = [.. set.Members.Select((m, i) => i == index ? ended : m)] });
    }

    private Jurisdiction AddMembership(Jurisdiction j, YamlNodes n)
    {
        var (set, country) = Membership(j, n);
        var from = n.Date("from") ?? throw n.Fail("'from': the first day of the membership is required");
        var to = n.Date("to");
        var cite = Proposed(n.Citation(_proposal));
        var period = new Period(from, to) { StartKnown = _known, EndKnown = to is null ? null : _known };
        return ReplaceSet(j, set with { Members = [.. set.Members, new Membership(country, period, cite, n.Source)] });
    }

    private (CountrySet Set, CountryCode Country) Membership(Jurisdiction j, YamlNodes n)
    {
        var id = n.Required("set");
        var set = j.Sets.FirstOrDefault(s => s.Id == id)
            ?? throw n.Fail(n.Node("set")!, $"'set': '{id}' is not a country set of {j.Id} (sets: {string.Join(", ", j.Sets.Select(s => s.Id))})");
        if (set.Kind != CountrySetKind.Explicit)
        {
            throw n.Fail(n.Node("set")!, $"'set': '{id}' is defined from other sets ({string.Join(", ", set.Of)}); change the membership of one of those");
        }

        var text = n.Required("country");
        return CountryCode.TryParse(text, out var country) ? (set, country)
            : throw n.Fail(n.Node("country")!, $"'country': '{text}' is not an ISO 3166-1 alpha-2 code");
    }

    private Jurisdiction EndRule(Jurisdiction j, YamlNodes n)
    {
        var id = n.Required("rule");
        var on = n.Date("on") ?? throw n.Fail("'on': the first day the rule is no longer in force is required");
        var cite = n.Citation(_proposal);
        var rule = j.DatedRules.FirstOrDefault(r => r.Id == id) ?? throw n.Fail(n.Node("rule")!, $"'rule': '{id}' is not a rule of {j.Id}");
        var index = IndexOf(rule.Periods, p => p.From < on && (p.To is not { } to || on < to));
        if (index < 0)
        {
            throw n.Fail(n.Node("on")!, $"'on': rule '{id}' is not in force on both {Day(on.PlusDays(-1))} and {Day(on)}, so it cannot end on {Day(on)} (periods: {string.Join(", ", rule.Periods)})");
        }

        var periods = rule.Periods.Select((p, i) => i == index ? new Period(p.From, on) { StartKnown = p.StartKnown, EndKnown = _known with { Citation = Proposed(cite) } } : p).ToList();
        var citation = Amended(rule.Citation, cite, on);
        return rule switch
        {
            RequirementRule r => j with { Requirements = Replace(j.Requirements, r, r with { Periods = periods, Citation = citation, Source = n.Source }) },
            LicenseScopeRule s => j with { Scope = Replace(j.Scope, s, s with { Periods = periods, Citation = citation, Source = n.Source }) },
            ReviewPeriodRule v => j with { Reviews = Replace(j.Reviews, v, v with { Periods = periods, Citation = citation, Source = n.Source }) },
            _ => throw n.Fail($"'rule': '{id}' is not a requirement, licence-scope or review-period rule"),
        };
    }

    private Jurisdiction AddRule<T>(Jurisdiction j, YamlNodes n, T rule, Func<T, Jurisdiction> add)
        where T : IDatedRule
    {
        if (j.DatedRules.Any(r => r.Id == rule.Id))
        {
            throw n.Fail(n.Node("id")!, $"'id': rule '{rule.Id}' is already defined in {j.Id}; end it with end_rule and add one with a new id");
        }

        // A proposed rule becomes known with the proposal, unless it says otherwise.
        var known = rule.Periods.Select(p => p with
        {
            StartKnown = p.StartKnown ?? (p.IsOpenStart ? null : _known),
            EndKnown = p.EndKnown ?? (p.To is null ? null : _known),
        }).ToList();
        return add(rule switch
        {
            RequirementRule r => (T)(IDatedRule)(r with { Periods = known, Citation = Proposed(r.Citation) }),
            LicenseScopeRule s => (T)(IDatedRule)(s with { Periods = known, Citation = Proposed(s.Citation) }),
            _ => rule,
        });
    }

    private Jurisdiction AddItem(Jurisdiction j, YamlNodes n)
    {
        var item = JurisdictionParser.ParseItem(n);
        if (j.Items.Any(i => i.Code == item.Code))
        {
            throw n.Fail(n.Node("code")!, $"'code': item '{item.Code}' is already on {j.Id}'s control list");
        }

        if (item.Parent is { } parent && j.Items.All(i => i.Code != parent))
        {
            throw n.Fail(n.Node("parent")!, $"'parent': item '{parent}' is not on {j.Id}'s control list");
        }

        return j with { Items = [.. j.Items, item with { Citation = Proposed(item.Citation) }] };
    }

    /// <summary>
    /// The citation of an element the proposal ends: the proposal first (a change log cites the element, and the change
    /// is the proposal's), then the element's own basis.
    /// </summary>
    private Citation Amended(Citation basis, Citation proposal, LocalDate on) =>
        Proposed(new Citation($"{proposal.Text} (proposed end {Day(on)}); until then: {basis.Text}", proposal.Url ?? basis.Url, true, basis.Note), $"ends {Day(on)}");

    private static Jurisdiction ReplaceSet(Jurisdiction j, CountrySet set) => j with { Sets = [.. j.Sets.Select(s => s.Id == set.Id ? set : s)] };

    private static IReadOnlyList<T> Replace<T>(IReadOnlyList<T> list, T old, T replacement)
        where T : class => [.. list.Select(x => ReferenceEquals(x, old) ? replacement : x)];

    private static int IndexOf<T>(IReadOnlyList<T> list, Func<T, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Day(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
