using System.Text;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Evaluation;

/// <summary>Turns an <see cref="Outcome"/> into the determination a compliance officer reads.</summary>
internal static class OutcomeText
{
    /// <summary>
    /// The determination of an outcome. Outcomes that differ only in the rules excluded by destination or by a fact
    /// (which the trace lists, and the rest of the answer only counts) share one answer: the EAR's tens of thousands of
    /// outcome codes in a large batch come from a few thousand answers, as every ECCN has its own Country Chart columns
    /// excluded for a destination. The answer is built once per <see cref="AnswerKey"/> and kept in a cache of two
    /// generations like the determinations; each outcome gets a copy of it with its own trace, built only when read
    /// (the compact output never reads it).
    /// </summary>
    public static Determination Build(Jurisdiction j, string version, Outcome o)
    {
        var shared = SharedParts.Of(j);
        var key = AnswerKey(shared, o, out var keptAt);
        var answers = shared.Answers(version).Answers;
        if (!answers.TryGet(key, out var answer))
        {
            answer = answers.GetOrAdd(key, array => BuildAnswer(j, version, o, shared, array.AsSpan(keptAt + 1)));
        }

        // The answer as first built carries the trace of the outcome it was built for; other outcomes get their own.
        return ((OutcomeTrace)answer.Trace).Outcome == o ? answer : answer with { Trace = new OutcomeTrace(j, o) };
    }

    /// <summary>
    /// The determination of an outcome without its trace (<see cref="Determination.NotTraced"/>), for the cache of
    /// untraced answers that keeps it by untraced key (<see cref="CompiledJurisdiction.EvaluateUntraced"/>): a copy of
    /// the traced answer (the same members by reference) when a traced caller built it first, else built without a trace.
    /// </summary>
    /// <remarks>
    /// Not kept by <see cref="AnswerKey"/> as well: the untraced keys of a batch are its answer keys one for one (the
    /// 329,870 US lines of the mixed benchmark batch: 25,710 of each), so a second cache by answer key found nothing
    /// and kept a second copy of each key, its slot and an insert under its lock. Two untraced keys of one answer
    /// (possible: the untraced key keeps rules the answer key drops when the destination is outside them) get equal
    /// determinations, written alike.
    /// </remarks>
    /// <param name="j">The jurisdiction.</param>
    /// <param name="version">The content version.</param>
    /// <param name="o">The outcome.</param>
    /// <param name="untracedKey">The outcome's untraced key (<see cref="UntracedKeys.Of"/>) as the cache keeps it: the
    /// explanation reads its sections from it (<see cref="UntracedKeys.Explained"/>) rather than from a copy of its own.</param>
    public static Determination BuildUntraced(Jurisdiction j, string version, Outcome o, int[] untracedKey)
    {
        var shared = SharedParts.Of(j);
        var key = AnswerKey(shared, o, out var keptAt);
        // The key is a buffer of the thread: BuildAnswer reads its unconfirmed rules and computes no other key.
        return shared.Answers(version).Answers.TryGet(key, out var answer)
            ? answer with { Trace = Determination.NotTraced }
            : BuildAnswer(j, version, o, shared, key[(keptAt + 1)..], untracedKey);
    }

    /// <summary>
    /// What the answer of an outcome depends on, besides its trace: the outcome's code without what only the trace
    /// lists (the rules excluded by destination and by a fact, counted for a no-licence answer; the rules that can
    /// authorise; the rules that may apply, unless the answer is indeterminate; the item given, unless a withdrawal
    /// depends on its sub-items), followed by the traced rules whose citation is unconfirmed and that the answer names in <c>unconfirmed</c>, as pairs of
    /// section (or -1 for the review rule) and rule. Written into a buffer of the thread, valid until the next call.
    /// </summary>
    /// <param name="shared">The jurisdiction's shared parts.</param>
    /// <param name="o">The outcome.</param>
    /// <param name="keptAt">Where the unconfirmed traced rules start in the key (their number, then the pairs).</param>
    private static ReadOnlySpan<int> AnswerKey(SharedParts shared, Outcome o, out int keptAt)
    {
        var code = o.Code;
        var buffer = KeyBuffer(code.Length + 8);
        code.AsSpan(0, Outcome.HeaderLength).CopyTo(buffer);
        var at = Outcome.HeaderLength;
        if (o[Section.DenySubItem].IsEmpty)
        {
            // The item given is named only in the conditions of licence types withdrawn for some of its sub-items.
            buffer[Outcome.SubjectItemAt] = -1;
        }

        for (var s = 0; s < Outcome.SectionCount; s++)
        {
            var section = (Section)s;
            var members = o[section];
            if (section is Section.ExcludedByDestination or Section.ExcludedByCondition)
            {
                // Only the explanation of a no-licence answer counts them.
                buffer[at++] = o.Verdict == Verdict.NoLicenseRequired ? members.Length : 0;
                continue;
            }

            if (section == Section.Allowing || (section == Section.Maybe && o.Verdict != Verdict.Indeterminate))
            {
                // The rules that can authorise are only traced (the eligible types are a section of their own); the
                // rules that may apply are named only by an indeterminate answer's explanation.
                buffer[at++] = 0;
                continue;
            }

            buffer[at++] = members.Length;
            members.CopyTo(buffer.AsSpan(at));
            at += members.Length;
        }

        keptAt = at;
        buffer[at++] = 0;
        // The traced rules in the order of the trace; one excluded only because the destination is outside it (Korea's
        // Russia lists for an export to China) did not shape the answer, so its unconfirmed facts are not this answer's.
        foreach (var section in SharedParts.TracedSections)
        {
            foreach (var rule in o[section])
            {
                if (shared.Unconfirmed(section, rule) && !OutsideDestination(shared, o, shared.RuleId(section, rule)))
                {
                    buffer = Kept(ref at, (int)section, rule);
                }
            }
        }

        foreach (var rule in o[Section.DenySubItem])
        {
            if (shared.Unconfirmed(Section.DenySubItem, rule) && !OutsideDestination(shared, o, shared.RuleId(Section.DenySubItem, rule)))
            {
                buffer = Kept(ref at, (int)Section.DenySubItem, rule);
            }
        }

        if (o.ReviewRule >= 0 && shared.ReviewUnconfirmed(o.ReviewRule) && !OutsideDestination(shared, o, shared.ReviewId(o.ReviewRule)))
        {
            buffer = Kept(ref at, ReviewSection, o.ReviewRule);
        }

        buffer[keptAt] = (at - keptAt - 1) / 2;
        return buffer.AsSpan(0, at);

        static int[] Kept(ref int at, int section, int rule)
        {
            var grown = KeyBuffer(at + 2);
            grown[at++] = section;
            grown[at++] = rule;
            return grown;
        }
    }

    /// <summary>The section code of the review rule among the unconfirmed traced rules of an <see cref="AnswerKey"/>.</summary>
    private const int ReviewSection = -1;

    /// <summary>Whether a requirement with the id <paramref name="rule"/> is among the rules the outcome excludes by destination.</summary>
    private static bool OutsideDestination(SharedParts shared, Outcome o, string rule)
    {
        // The requirements of that id looked up among the excluded ones by index: a set of the excluded rules' ids per
        // outcome (the EAR excludes dozens by destination) was most of the cost of an outcome's answer key.
        var excluded = o[Section.ExcludedByDestination];
        if (excluded.IsEmpty)
        {
            return false;
        }

        foreach (var requirement in shared.RequirementsWithId(rule))
        {
            if (excluded.Contains(requirement))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The key buffer of the thread, at least <paramref name="length"/> long, its contents kept when it grows.</summary>
    private static int[] KeyBuffer(int length)
    {
        var buffer = _keyBuffer ??= new int[Math.Max(256, length)];
        if (buffer.Length < length)
        {
            Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
            _keyBuffer = buffer;
        }

        return buffer;
    }

    [ThreadStatic]
    private static int[]? _keyBuffer;

    /// <summary>The answer of an outcome (and of every outcome with its <see cref="AnswerKey"/>), with the outcome's own trace, or none (<see cref="Determination.NotTraced"/>) when built for its <paramref name="untracedKey"/>.</summary>
    private static Determination BuildAnswer(Jurisdiction j, string version, Outcome o, SharedParts shared, ReadOnlySpan<int> kept, int[]? untracedKey = null)
    {
        var traced = untracedKey is null;
        // Loops over the code's sections rather than LINQ over copies of them: the EAR builds tens of thousands of
        // outcomes in a large batch, and the garbage of each is collected while the caches hold the rest.
        // The lists of grounds, eligible licence types and destination groups are shared by the answers that give the
        // same one (a few thousand of each among the EAR's tens of thousands of answers), as the answers are kept for
        // the batch: each answer's own copies were objects every collection promoted and every full one marked.
        var grounds = shared.Grounds(o[Section.Grounds]);
        var eligible = shared.Eligible(o[Section.Eligible]);

        // The table is made only for an answer that has a condition (most have none: they share NoConditions).
        var conditions = o[Section.Conditional].IsEmpty && o[Section.AllowMaybe].IsEmpty ? null : AllowedUnder(j, o, shared);
        var bySubItem = o[Section.DenySubItem].IsEmpty ? NoSubItemConditions : SubItemConditions(j, o);
        foreach (var (licence, text) in bySubItem)
        {
            (conditions ??= new Dictionary<string, string>(StringComparer.Ordinal)).TryAdd(licence, text);
        }

        // A licence type an undecided withdrawal leaves out (an Entity List or UVL listing not yet answered) is not
        // eligible, but the user must see which types it would be and what decides them: named with its withdrawals.
        // By licence type in the order of its first withdrawal, as a grouping would; each text built once per set of
        // withdrawals (a few per jurisdiction), not per answer: most EAR answers name the same undecided ones.
        var undecided = o[Section.DenyMaybe];
        if (!undecided.IsEmpty)
        {
            // When they are the only conditions (the EAR's usual licence-required answer: GOV withheld while the Entity
            // List and UVL are undecided), the table is one per set of withdrawals, shared by the answers that name it
            // and never written once built; else the answer's own table gets them.
            conditions = conditions is null && o.Verdict != Verdict.Prohibited ? shared.UndecidedConditions(undecided)
                : AddUndecided(conditions ?? new Dictionary<string, string>(StringComparer.Ordinal), j, shared, undecided);
        }

        if (o.Verdict == Verdict.Prohibited)
        {
            // A loop, not a lambda over j: the closure of a lambda here is allocated for every answer built.
            foreach (var r in o[Section.Grounds])
            {
                if (j.Requirements[r] is not { Kind: RequirementKind.Embargo, Exception: { } exception })
                {
                    continue;
                }

                conditions ??= new Dictionary<string, string>(StringComparer.Ordinal);
                conditions[exception.License] = conditions.TryGetValue(exception.License, out var other)
                    ? $"{other}; or {exception.Condition} (not checked by the engine)"
                    : $"{exception.Condition} (not checked by the engine)";
            }
        }

        var groups = shared.Groups(o[Section.Groups]);

        var missing = o[Section.Missing].IsEmpty ? [] : MissingText(j, o[Section.Missing]);
        int? reviewDays = o.ReviewRule >= 0 ? j.Reviews[o.ReviewRule].Days : null;

        // A list of the thread, emptied: its lines are copied out once, distinct (DistinctInOrder).
        var unconfirmed = UnconfirmedScratch();
        if (o.UnconfirmedItem >= 0)
        {
            unconfirmed.Add(shared.UnconfirmedItem(o.UnconfirmedItem));
        }

        for (var k = 0; k < kept.Length; k += 2)
        {
            unconfirmed.Add(shared.UnconfirmedLine(kept[k], kept[k + 1]));
        }

        foreach (var s in o[Section.Groups])
        {
            if (j.Sets[s].Citation.Unconfirmed)
            {
                unconfirmed.Add(shared.FlaggedSet(s));
            }
        }

        // A membership record of the destination flagged on its own (South Sudan's suspect date, a Group B member
        // named only by secondary sources): the answer rests on it as much as on a flagged rule.
        if (o[Section.UnconfirmedMemberships].Length > 0)
        {
            foreach (var record in o[Section.UnconfirmedMemberships])
            {
                unconfirmed.Add(shared.FlaggedMembership(record));
            }
        }

        // The explanation is built when read or written, not here: a batch written as JSON writes its characters into
        // the answer's form once (Determination.TryWriteExplanation), and its string (~2 KB of every new EAR answer,
        // kept with it) is made only for a caller that reads it.
        // Without the trace the explanation reads the sections it names from the untraced key the answer is cached by
        // (UntracedKeys.Explained), not the EAR's ~0.7 KB code of Country Chart rules excluded by destination, which it
        // only counts, nor a copy of those sections of its own (ExplainedPart, ~150 bytes an answer).
        // The usual answer has no condition: one empty table for all of them (never written once built).
        var answerConditions = conditions ?? NoConditions;
        var explanation = new ExplanationText(j, untracedKey ?? o.Code, untracedKey is not null, o[Section.ExcludedByDestination].Length, o[Section.ExcludedByCondition].Length, grounds, eligible, answerConditions, bySubItem, groups, missing);
        var lines = DistinctInOrder(unconfirmed);
        unconfirmed.Clear();
        _unconfirmedScratch = unconfirmed;
        return new Determination(j.Id, o.Verdict, eligible, answerConditions, reviewDays, grounds, missing, groups, traced ? new OutcomeTrace(j, o) : Determination.NotTraced, lines, explanation, version)
        {
            Warnings = o.PastReview || o.BeforeListText ? shared.Warnings(o) : [],
        };
    }

    /// <summary>The thread's list for an answer's unconfirmed lines, empty, taken out of its slot (given back by <see cref="BuildAnswer"/>).</summary>
    private static List<string> UnconfirmedScratch()
    {
        var list = _unconfirmedScratch ?? new List<string>();
        _unconfirmedScratch = null;
        list.Clear();
        return list;
    }

    [ThreadStatic]
    private static List<string>? _unconfirmedScratch;

    /// <summary>
    /// An answer's explanation, written when read (<see cref="Determination.TryWriteExplanation"/>) from what
    /// <see cref="Explain"/> reads, held in one object: as a closure over these it was three objects per answer (the
    /// closure, its delegate, the text), and the explained sections an outcome of their own (its code and the array of
    /// its section starts), all kept with each of the EAR's tens of thousands of answers in a large batch. The outcome
    /// is indexed again each time the text is written (once per writer's form): the traced outcome's code, or the
    /// untraced answer's key (<paramref name="isUntracedKey"/>), read through <see cref="UntracedKeys.Explained"/>.
    /// </summary>
    private sealed class ExplanationText(
        Jurisdiction j, int[] code, bool isUntracedKey, int byDestination, int byCondition, Ground[] grounds, string[] eligible, Dictionary<string, string> conditions,
        Dictionary<string, string> bySubItem, string[] groups, string[] missing) : DeferredText
    {
        protected override void Write(StringBuilder text) =>
            Explain(text, j, isUntracedKey ? UntracedKeys.Explained(code) : new Outcome(code), byDestination, byCondition, grounds, eligible, conditions, bySubItem, groups, missing);
    }

    /// <summary>Adds to <paramref name="conditions"/> what each undecided withdrawal among <paramref name="undecided"/> withholds, by licence type in the order of its first withdrawal.</summary>
    private static Dictionary<string, string> AddUndecided(Dictionary<string, string> conditions, Jurisdiction j, SharedParts shared, ReadOnlySpan<int> undecided)
    {
        for (var i = 0; i < undecided.Length; i++)
        {
            var licence = j.Scope[undecided[i]].License;
            if (FirstOfLicence(j, undecided, licence) == i)
            {
                var withheld = shared.Withheld(undecided, i, licence);
                conditions[licence] = conditions.TryGetValue(licence, out var other) ? $"{other}; and {withheld}" : withheld;
            }
        }

        return conditions;
    }

    /// <summary>The conditions of the licence types that can authorise under a condition or may (if a fact not given holds), by licence type.</summary>
    private static Dictionary<string, string> AllowedUnder(Jurisdiction j, Outcome o, SharedParts shared) =>
        o.List(Section.Conditional).Select(s => (j.Scope[s].License, Text: j.Scope[s].Condition!))
            .Concat(o.List(Section.AllowMaybe).Select(s => (j.Scope[s].License, Text: shared.AllowedIf(s))))
            .GroupBy(p => p.License)
            .ToDictionary(g => g.Key, g => string.Join("; or ", g.Select(p => p.Text)), StringComparer.Ordinal);

    /// <summary>
    /// The sections <see cref="Explain"/> reads (its rules named, and the item given), as an outcome with every other
    /// section empty: the plain reference that <see cref="UntracedKeys.Explained"/> (what an untraced answer's
    /// explanation reads from its key) agrees with on those sections (a test compares them over seeded outcomes).
    /// </summary>
    internal static Outcome ExplainedPart(Outcome o) => new(ExplainedCode(o));

    /// <summary>The code of <see cref="ExplainedPart"/>.</summary>
    private static int[] ExplainedCode(Outcome o)
    {
        var length = Outcome.HeaderLength + Outcome.SectionCount;
        foreach (var section in ExplainedSections)
        {
            length += o[section].Length;
        }

        var code = new int[length];
        o.Code.AsSpan(0, Outcome.HeaderLength).CopyTo(code);
        var at = Outcome.HeaderLength;
        for (var s = 0; s < Outcome.SectionCount; s++)
        {
            var members = ExplainedSections.Contains((Section)s) ? o[(Section)s] : [];
            code[at++] = members.Length;
            members.CopyTo(code.AsSpan(at));
            at += members.Length;
        }

        return code;
    }

    /// <summary>The sections whose members <see cref="Explain"/> names (of the rules excluded it reads only the counts, given apart).</summary>
    private static readonly Section[] ExplainedSections = [Section.Grounds, Section.Maybe, Section.Denying, Section.DenyMaybe, Section.DenySubItem];

    /// <summary>The lines each once, in the order of their first occurrence (as <c>Distinct</c>), without a set for the few lines of an answer.</summary>
    private static string[] DistinctInOrder(List<string> lines)
    {
        if (lines.Count > 32)
        {
            return [.. lines.Distinct()];
        }

        if (lines.Count == 0)
        {
            // Most answers name none: one empty array for all, not one kept with each.
            return [];
        }

        var kept = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines.IndexOf(lines[i], 0, kept) < 0)
            {
                lines[kept++] = lines[i];
            }
        }

        var distinct = new string[kept];
        lines.CopyTo(0, distinct, 0, kept);
        return distinct;
    }

    /// <summary>
    /// An outcome's trace (every rule consulted, in section order, then the withdrawals by sub-item and the review
    /// rule), built when first read: the compact output does not read it, and outcomes of one answer differ in it alone.
    /// Two threads reading it first at once build equal entries; either array is kept.
    /// </summary>
    private sealed class OutcomeTrace(Jurisdiction j, Outcome o) : IReadOnlyList<TraceEntry>
    {
        private TraceEntry[]? _entries;

        /// <summary>The outcome traced.</summary>
        public Outcome Outcome => o;

        public int Count => Entries.Length;

        public TraceEntry this[int index] => Entries[index];

        private TraceEntry[] Entries => Volatile.Read(ref _entries) ?? Built();

        public IEnumerator<TraceEntry> GetEnumerator() => ((IEnumerable<TraceEntry>)Entries).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private TraceEntry[] Built()
        {
            var shared = SharedParts.Of(j);
            var trace = new List<TraceEntry>();
            foreach (var section in SharedParts.TracedSections)
            {
                foreach (var rule in o[section])
                {
                    trace.Add(shared.Trace(section, rule));
                }
            }

            trace.AddRange(o.List(Section.DenySubItem).Select(s => j.Scope[s]).Select(s => new TraceEntry(s.Id, $"withdraws {s.License} for sub-items {(SubItems(j, o, s).ToList() is { Count: > 0 } named ? string.Join(", ", named) : s.Items.ToString())}: {s.Title}", s.Citation)));
            if (o.ReviewRule >= 0)
            {
                var review = j.Reviews[o.ReviewRule];
                trace.Add(new TraceEntry(review.Id, $"standard review period {review.Days} days", review.Citation));
            }

            var entries = trace.ToArray();
            Volatile.Write(ref _entries, entries);
            return entries;
        }
    }

    /// <summary>The answers of one content version (read without a lookup while the version does not change), by <see cref="AnswerKey"/>.</summary>
    private sealed record VersionAnswers(string Version, CodeCache<Determination> Answers);

    /// <summary>The licence conditions of an answer that has none (never written to).</summary>
    private static readonly Dictionary<string, string> NoConditions = new(StringComparer.Ordinal);

    /// <summary>Licence types by sub-item, for an outcome with no withdrawal by sub-item (never written to).</summary>
    private static readonly Dictionary<string, string> NoSubItemConditions = new(StringComparer.Ordinal);

    /// <summary>What the export date says about the content's own dates.</summary>
    private static string[] WarningsOf(Jurisdiction j, Outcome o)
    {
        var warnings = new List<string>();
        if (o.PastReview && j.Reviewed is { } reviewed)
        {
            warnings.Add($"the export date is after the {j.Id} content's last review on {LocalDatePattern.Iso.Format(reviewed)}: rules may have changed since; check the current law");
        }

        if (o.BeforeListText && j.ListAsOf is { } listed)
        {
            // Said once per answer line, so said once: "check the list in force on that day" is what "it may have read
            // otherwise on the export date" asks, and every line's warnings are of the content.
            warnings.Add($"the {j.Id} control list (items, reasons for control, country columns, licence-exception values) is the text of {LocalDatePattern.Iso.Format(listed)}; "
                + "the dated rules apply as of the export date; check the list in force on that day");
        }

        return [.. warnings];
    }

    /// <summary>
    /// Licence types withdrawn for some sub-items of the whole item given: each with the sub-items it is not available
    /// for (those the withdrawing rules name below the item).
    /// </summary>
    private static Dictionary<string, string> SubItemConditions(Jurisdiction j, Outcome o)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in o.List(Section.DenySubItem).Select(s => j.Scope[s]).GroupBy(s => s.License))
        {
            if (o.List(Section.Denying).Any(d => j.Scope[d].License == group.Key) || o.List(Section.DenyMaybe).Any(d => j.Scope[d].License == group.Key))
            {
                continue;
            }

            var subItems = group.SelectMany(s => SubItems(j, o, s)).Distinct().ToList();
            var which = subItems.Count > 0 ? string.Join(", ", subItems) : $"its sub-items that are {string.Join("; ", group.Select(s => s.Items).Distinct())}";
            result[group.Key] = $"depends on the sub-item: not for {which} ({string.Join(", ", group.Select(s => s.Id))}); available for the other sub-items of {j.Id}:{j.Items[o.SubjectItem].Code}";
        }

        return result;
    }

    /// <summary>The sub-items, below the item given, that the outcome's withdrawals by sub-item name, each once.</summary>
    private static IEnumerable<string> SubItemsWithdrawn(Jurisdiction j, Outcome o) =>
        o.List(Section.DenySubItem).SelectMany(s => SubItems(j, o, j.Scope[s])).Distinct();

    /// <summary>The sub-items, below the item given, that a scope rule names: "JP:3(1)/2(1)(i)(he) (hydrogen fluoride)".</summary>
    private static IEnumerable<string> SubItems(Jurisdiction j, Outcome o, LicenseScopeRule rule)
    {
        if (o.SubjectItem < 0)
        {
            return [];
        }

        var subject = j.Items[o.SubjectItem].Code;
        // A rule that selects by attribute (the EAR's "controlled for NP") names the sub-items that carry the attribute.
        var named = rule.Items.Where.Count == 0
            ? rule.Items.Codes.Where(code => code != subject && IsBelow(j, code, subject)).Select(code => j.Items.First(i => i.Code == code))
            : j.Items.Where(i => i.Code != subject && rule.Items.Where.All(w => i.Attributes.TryGetValue(w.Key, out var values) && values.Any(w.Value.Contains)) && IsBelow(j, i.Code, subject));
        return named.Select(item => $"{j.Id}:{item.Code} ({item.Title})");
    }

    private static bool IsBelow(Jurisdiction j, string code, string ancestor)
    {
        for (string? current = code; current is not null; current = j.Items.FirstOrDefault(i => i.Code == current)?.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An answer's explanation: the verdict's sentences, the grounds' review policies, a no-licence answer's note.</summary>
    private static void Explain(
        StringBuilder text,
        Jurisdiction j,
        Outcome o,
        int byDestination,
        int byCondition,
        Ground[] grounds,
        string[] eligible,
        Dictionary<string, string> conditions,
        Dictionary<string, string> bySubItem,
        string[] groups,
        string[] missing)
    {
        // One look for a compliance officer: the verdict, the rule that decided it and, for licences, what is
        // available and what was withdrawn. Citations sit in the grounds; every rule consulted is in the trace.
        switch (o.Verdict)
        {
            case Verdict.Prohibited:
                text.Append("Prohibited. ");
                AppendGrounds(text, grounds, embargoOnly: true);
                // Loops and helpers without lambdas over j and o here: a lambda in this method would have its closure
                // allocated whenever an explanation is written.
                foreach (var r in o[Section.Grounds])
                {
                    if (j.Requirements[r] is { Kind: RequirementKind.Embargo, Exception: { } exception })
                    {
                        text.Append($" Exception the measure provides ({exception.License}, not checked by the engine): {exception.Condition}.");
                    }
                }

                break;
            case Verdict.LicenseRequired:
                text.Append("Licence required. ");
                AppendGrounds(text, grounds, embargoOnly: false);
                AppendDestination(text, groups);
                // Appended piece by piece: the joined lists built as strings were garbage of every new answer.
                text.Append(" Eligible: ");
                for (var i = 0; i < eligible.Length; i++)
                {
                    text.Append(i == 0 ? "" : ", ").Append(eligible[i]).Append(conditions.ContainsKey(eligible[i]) ? " (conditional)" : "");
                }

                text.Append('.');
                var denied = o[Section.Denying];
                if (!denied.IsEmpty)
                {
                    text.Append(" Withdrawn: ");
                    AppendLicences(text, j, denied);
                    text.Append(": ").Append(j.Scope[denied[0]].Title).Append(" (");
                    AppendIds(text, j, denied);
                    text.Append(").");
                }

                if (bySubItem.Count > 0)
                {
                    // One sentence: the licence types that depend on the sub-item; the sub-items are in their conditions.
                    var subItems = SubItemsWithdrawn(j, o);
                    text.Append($" Depending on the sub-item of {j.Id}:{j.Items[o.SubjectItem].Code}: {string.Join(", ", bySubItem.Keys)}, not for {string.Join(", ", subItems)} (see license_conditions).");
                }

                var maybeDenied = o[Section.DenyMaybe];
                if (!maybeDenied.IsEmpty)
                {
                    text.Append(" Left out, as a withdrawal may apply (give the item number or the missing fact): ");
                    AppendLicences(text, j, maybeDenied);
                    text.Append(" (");
                    AppendIds(text, j, maybeDenied);
                    text.Append(").");
                }

                break;
            case Verdict.Indeterminate:
                text.Append("Indeterminate: missing ").AppendJoin("; ", missing).Append('.');
                var shared = SharedParts.Of(j);
                foreach (var rule in o[Section.Maybe])
                {
                    if (j.Requirements[rule].Kind != RequirementKind.Gap)
                    {
                        text.Append(shared.AppliesWhen(rule));
                    }
                }

                if (grounds.Length > 0)
                {
                    text.Append(" A licence is required in any case: ");
                    AppendGrounds(text, grounds, embargoOnly: false);
                }

                AppendDestination(text, groups);
                break;
            default:
                text.Append("No licence required: no rule in force requires one for this item, destination and facts.");
                AppendDestination(text, groups);
                if (byDestination + byCondition > 0)
                {
                    text.Append($" Rules on this item that do not apply: {byDestination} by destination, {byCondition} by a fact of the shipment (see trace).");
                }

                break;
        }

        AppendReviewPolicies(text, grounds);
        if (o.Verdict == Verdict.NoLicenseRequired && j.NoLicenseNote is { } note)
        {
            text.Append(' ').Append(note);
        }
    }

    /// <summary>
    /// " Licence review policy: rule: policy; ...." for the grounds that state one, each line once: appended in place,
    /// as the lines built as strings and deduplicated through a set were a few hundred bytes of every new EAR answer.
    /// </summary>
    private static void AppendReviewPolicies(StringBuilder text, Ground[] grounds)
    {
        var any = false;
        for (var i = 0; i < grounds.Length; i++)
        {
            if (grounds[i].ReviewPolicy is null || SeenBefore(grounds, i))
            {
                continue;
            }

            text.Append(any ? "; " : " Licence review policy: ").Append(grounds[i].Rule).Append(": ").Append(grounds[i].ReviewPolicy);
            any = true;
        }

        if (any)
        {
            text.Append('.');
        }

        // Whether an earlier ground states the same line "rule: policy" (compared as the text, as the set compared it).
        static bool SeenBefore(Ground[] grounds, int at)
        {
            for (var k = 0; k < at; k++)
            {
                if (grounds[k].ReviewPolicy is not null && SameLine(grounds[k], grounds[at]))
                {
                    return true;
                }
            }

            return false;
        }

        static bool SameLine(Ground a, Ground b)
        {
            var length = a.Rule.Length + 2 + a.ReviewPolicy!.Length;
            if (length != b.Rule.Length + 2 + b.ReviewPolicy!.Length)
            {
                return false;
            }

            for (var c = 0; c < length; c++)
            {
                if (CharOfLine(a, c) != CharOfLine(b, c))
                {
                    return false;
                }
            }

            return true;
        }

        static char CharOfLine(Ground g, int c) =>
            c < g.Rule.Length ? g.Rule[c] : c < g.Rule.Length + 2 ? ": "[c - g.Rule.Length] : g.ReviewPolicy![c - g.Rule.Length - 2];
    }

    /// <summary>The licence types of scope rules, each once in the order of its first rule, joined by ", ".</summary>
    private static void AppendLicences(StringBuilder text, Jurisdiction j, ReadOnlySpan<int> scope)
    {
        for (var i = 0; i < scope.Length; i++)
        {
            var licence = j.Scope[scope[i]].License;
            if (FirstOfLicence(j, scope, licence) == i)
            {
                text.Append(i == 0 ? "" : ", ").Append(licence);
            }
        }
    }

    /// <summary>The ids of scope rules joined by ", ".</summary>
    private static void AppendIds(StringBuilder text, Jurisdiction j, ReadOnlySpan<int> scope)
    {
        for (var i = 0; i < scope.Length; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(j.Scope[scope[i]].Id);
        }
    }

    /// <summary>The position of the first scope rule of <paramref name="licence"/> among <paramref name="scope"/>.</summary>
    private static int FirstOfLicence(Jurisdiction j, ReadOnlySpan<int> scope, string licence)
    {
        for (var i = 0; ; i++)
        {
            if (string.Equals(j.Scope[scope[i]].License, licence, StringComparison.Ordinal))
            {
                return i;
            }
        }
    }

    /// <summary>The destination's groups, appended in place: as a string of its own it was built for every new answer.</summary>
    private static void AppendDestination(StringBuilder text, string[] groups)
    {
        if (groups.Length > 0)
        {
            text.Append(" Destination: ").AppendJoin(", ", groups).Append('.');
        }
    }

    /// <summary>"title (rule). " for each ground (with <paramref name="embargoOnly"/>, each embargo), without the last space: over the array, not an enumerator per answer.</summary>
    private static void AppendGrounds(StringBuilder text, Ground[] grounds, bool embargoOnly)
    {
        foreach (var g in grounds)
        {
            if (!embargoOnly || g.Kind == RequirementKind.Embargo)
            {
                text.Append($"{g.Title} ({g.Rule}). ");
            }
        }

        text.Length -= text.Length > 0 && text[^1] == ' ' ? 1 : 0;
    }

    private static string[] MissingText(Jurisdiction j, ReadOnlySpan<int> codes)
    {
        var shared = SharedParts.Of(j);
        var list = new string[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            list[i] = shared.Missing(codes[i]);
        }

        return list;
    }

    /// <summary>The line of <c>missing_facts</c> for one missing-fact code.</summary>
    private static string MissingTextOf(Jurisdiction j, int code) => code switch
    {
        MissingCode.Coverage => $"date: the {j.Id} content covers exports from {LocalDatePattern.Iso.Format(j.CoverageFrom)}",
        MissingCode.ItemDetail => $"item: the item number within the row (e.g. {ItemExample(j)})",
        MissingCode.Classification => $"item: a {j.Id} classification ({j.Id}:<code>): the {j.Name} regime governs this export",
        MissingCode.Content => $"content: {j.Incomplete}",
        MissingCode.EndUser => "end_user",
        MissingCode.EndUserScreening => $"end_user screening: the {j.EndUserList ?? "end-user"} list is not loaded (clearance lists import)",
        MissingCode.EndUserReview => $"end_user_review: the end user is a possible match on the {j.EndUserList ?? "end-user"} list; a decision must confirm or clear it (see end_user_matches)",
        < 0 => $"content: {j.Requirements[MissingCode.GapRule(code)].Title} ({j.Requirements[MissingCode.GapRule(code)].Id})",
        _ => FactText([.. j.AllFacts], code),
    };

    private static string ItemExample(Jurisdiction j) =>
        j.Items.FirstOrDefault(i => i.Parent is not null) is { } item ? $"{j.Id}:{item.Code} rather than {j.Id}:{item.Parent}" : $"a {j.Id} item code";

    private static string FactText(List<FactDefinition> facts, int code)
    {
        var (fact, unconvertible) = MissingCode.Decode(code);
        var id = facts[fact].Id;
        return !unconvertible ? id
            : id == Facts.Value ? "value: an exchange rate from the shipment's currency into the currency of the rule's limit (give a rates file)"
            : $"{id}: in the unit of the rule's limit (units are not converted)";
    }

    /// <summary>
    /// The parts of a determination that depend on one rule only (a ground, a trace entry, an unconfirmed membership's
    /// line), built once per jurisdiction and shared by every determination that names the rule. The EAR gives tens of
    /// thousands of distinct outcomes in a large batch, each tracing dozens of Country Chart rules: built per outcome,
    /// these texts (a destination selector written out per rule) were most of the cost of a new outcome and of its
    /// memory. Slots are filled on first use; two threads filling one slot at once build equal values, either kept.
    /// </summary>
    private sealed class SharedParts
    {
        /// <summary>The sections whose trace entries depend on the rule alone, in the order of the trace.</summary>
        public static readonly Section[] TracedSections =
            [Section.Grounds, Section.Maybe, Section.ExcludedByDestination, Section.ExcludedByCondition, Section.Allowing, Section.AllowMaybe, Section.Denying, Section.DenyMaybe];

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Jurisdiction, SharedParts> Built = [];

        private readonly Jurisdiction _j;
        private readonly Ground?[] _grounds;
        private readonly TraceEntry?[][] _trace;
        private readonly IReadOnlyList<UnconfirmedMembership> _flagged;
        private readonly string?[] _flaggedText;
        private readonly string?[] _appliesWhen;
        private readonly string?[] _flaggedSets;
        private readonly string?[] _allowedIf;
        private readonly string?[] _withheld;
        private readonly string[]?[] _warnings = new string[]?[4];
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> _missing = new();
        private readonly string?[] _unconfirmedRequirement;
        private readonly string?[] _unconfirmedScope;
        private readonly string?[] _unconfirmedReview;
        private readonly string?[] _unconfirmedItem;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, VersionAnswers> _answersByVersion = new(StringComparer.Ordinal);
        private VersionAnswers? _answers;

        /// <summary>
        /// Answers per generation at first, and at most, with the determinations' policy (<see cref="CodeCache{TValue}"/>):
        /// the EAR lines of the mixed million-line benchmark batch have 20,662 answers (for 61,147 outcome codes), which
        /// two generations of the first size hold while they are in use; a batch whose answers in use outlive a
        /// generation grows it as the determinations' cache does.
        /// </summary>
        private const int AnswerCapacity = DeterminationCache.DefaultCapacity;

        private const int MaxAnswerCapacity = DeterminationCache.DefaultMaxCapacity;

        private SharedParts(Jurisdiction j)
        {
            _j = j;
            _grounds = new Ground?[j.Requirements.Count];
            _trace = new TraceEntry?[Outcome.SectionCount][];
            foreach (var section in TracedSections)
            {
                _trace[(int)section] = new TraceEntry?[IsScope(section) ? j.Scope.Count : j.Requirements.Count];
            }

            _flagged = UnconfirmedMembership.Of(j);
            _flaggedText = new string?[_flagged.Count];
            _appliesWhen = new string?[j.Requirements.Count];
            _flaggedSets = new string?[j.Sets.Count];
            _allowedIf = new string?[j.Scope.Count];
            _withheld = new string?[j.Scope.Count];
            _unconfirmedRequirement = new string?[j.Requirements.Count];
            _unconfirmedScope = new string?[j.Scope.Count];
            _unconfirmedReview = new string?[j.Reviews.Count];
            _unconfirmedItem = new string?[j.Items.Count];
            _requirementUnconfirmed = [.. j.Requirements.Select(r => r.Citation.Unconfirmed)];
            _scopeUnconfirmed = [.. j.Scope.Select(r => r.Citation.Unconfirmed)];
        }

        public static SharedParts Of(Jurisdiction j) => Built.GetValue(j, static j => new SharedParts(j));

        /// <summary>The answers built for the content version (one, unless the jurisdiction is compiled under several).</summary>
        public VersionAnswers Answers(string version)
        {
            if (Volatile.Read(ref _answers) is { } last && ReferenceEquals(last.Version, version))
            {
                return last;
            }

            var answers = _answersByVersion.GetOrAdd(version, static version => new VersionAnswers(version, new CodeCache<Determination>(AnswerCapacity, MaxAnswerCapacity)));
            // Kept under the caller's reference, which the next call compares.
            var mine = ReferenceEquals(answers.Version, version) ? answers : answers with { Version = version };
            Volatile.Write(ref _answers, mine);
            return mine;
        }

        /// <summary>Whether the citation of a traced rule (a requirement, or a scope rule of the licence sections) is unconfirmed.</summary>
        /// <remarks>Read from arrays of flags: an outcome's answer key asks it of every rule it traces (dozens for the EAR).</remarks>
        public bool Unconfirmed(Section section, int rule) => IsScope(section) ? _scopeUnconfirmed[rule] : _requirementUnconfirmed[rule];

        private readonly bool[] _requirementUnconfirmed;
        private readonly bool[] _scopeUnconfirmed;

        /// <summary>The id of a traced rule.</summary>
        public string RuleId(Section section, int rule) => IsScope(section) ? _j.Scope[rule].Id : _j.Requirements[rule].Id;

        public bool ReviewUnconfirmed(int review) => _j.Reviews[review].Citation.Unconfirmed;

        public string ReviewId(int review) => _j.Reviews[review].Id;

        /// <summary>The indexes of the requirements with the id (one, unless ids repeat; none for the id of a scope or review rule only).</summary>
        public int[] RequirementsWithId(string id) =>
            (Volatile.Read(ref _requirementsById) ?? RequirementsById()).TryGetValue(id, out var indexes) ? indexes : [];

        private Dictionary<string, int[]> RequirementsById()
        {
            // Built when an outcome first traces an unconfirmed rule; two threads building it at once build equal maps.
            var byId = Enumerable.Range(0, _j.Requirements.Count).GroupBy(r => _j.Requirements[r].Id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
            Volatile.Write(ref _requirementsById, byId);
            return byId;
        }

        private Dictionary<string, int[]>? _requirementsById;

        /// <summary>The line of <c>unconfirmed</c> for a traced rule whose citation is unconfirmed ("id: note"), by section (<see cref="ReviewSection"/> for the review rule) and rule.</summary>
        public string UnconfirmedLine(int section, int rule)
        {
            var (id, citation) = section == ReviewSection ? (_j.Reviews[rule].Id, _j.Reviews[rule].Citation)
                : IsScope((Section)section) ? (_j.Scope[rule].Id, _j.Scope[rule].Citation)
                : (_j.Requirements[rule].Id, _j.Requirements[rule].Citation);
            var lines = section == ReviewSection ? _unconfirmedReview : IsScope((Section)section) ? _unconfirmedScope : _unconfirmedRequirement;
            return lines[rule] ??= $"{id}: {citation.Note ?? "unconfirmed"}";
        }

        public Ground Ground(int rule) => _grounds[rule] ??= NewGround(_j.Requirements[rule]);

        /// <summary>The grounds of the rules (an outcome's grounds section), one array per distinct list, shared by the answers that give it.</summary>
        public Ground[] Grounds(ReadOnlySpan<int> rules) =>
            rules.IsEmpty ? [] : _groundLists.TryGet(rules, out var known) ? known : _groundLists.GetOrAdd(rules, rules => Array.ConvertAll(rules, Ground));

        /// <summary>The ids of the licence types (an outcome's eligible section), one array per distinct list, shared by the answers that give it.</summary>
        public string[] Eligible(ReadOnlySpan<int> licences) =>
            licences.IsEmpty ? [] : _eligibleLists.TryGet(licences, out var known) ? known : _eligibleLists.GetOrAdd(licences, licences => Array.ConvertAll(licences, l => _j.Licenses[l].Id));

        /// <summary>The names of the destination groups (an outcome's groups section), one array per distinct list, shared by the answers that give it.</summary>
        public string[] Groups(ReadOnlySpan<int> sets) =>
            sets.IsEmpty ? [] : _groupLists.TryGet(sets, out var known) ? known : _groupLists.GetOrAdd(sets, sets => Array.ConvertAll(sets, s => _j.Sets[s].Name));

        // The shared lists, bounded as the answers are (two generations; the EAR's mixed batch has a few thousand of each).
        private readonly CodeCache<Ground[]> _groundLists = new(ListCapacity, MaxAnswerCapacity);
        private readonly CodeCache<string[]> _eligibleLists = new(ListCapacity, MaxAnswerCapacity);
        private readonly CodeCache<string[]> _groupLists = new(ListCapacity, MaxAnswerCapacity);

        /// <summary>Lists of one kind a generation holds at first.</summary>
        private const int ListCapacity = 4096;

        public TraceEntry Trace(Section section, int rule) => _trace[(int)section][rule] ??= NewTrace(section, rule);

        public string FlaggedMembership(int record) => _flaggedText[record] ??= _flagged[record].Text(_j);

        /// <summary>A licence type's condition when a scope rule may allow it: "if &lt;when&gt; (not decided from the facts given)".</summary>
        public string AllowedIf(int scope) => _allowedIf[scope] ??= $"if {_j.Scope[scope].When} (not decided from the facts given)";

        /// <summary>What a scope rule that may withdraw a licence type withholds it for: "not if &lt;when&gt; (id)" or "not for &lt;items&gt; (id)".</summary>
        public string WithheldUnless(int scope) => _withheld[scope] ??= _j.Scope[scope] is var s && s.When.IsNone ? $"not for {s.Items} ({s.Id})" : $"not if {s.When} ({s.Id})";

        /// <summary>
        /// "withheld while undecided: " and what each undecided withdrawal of <paramref name="licence"/> among
        /// <paramref name="undecided"/> (from <paramref name="first"/>, its first) withholds it for, joined by "; ":
        /// built once per set of withdrawals and kept, by their indexes.
        /// </summary>
        public string Withheld(ReadOnlySpan<int> undecided, int first, string licence)
        {
            Span<int> key = undecided.Length <= 64 ? stackalloc int[undecided.Length] : new int[undecided.Length];
            var count = 0;
            for (var i = first; i < undecided.Length; i++)
            {
                if (string.Equals(_j.Scope[undecided[i]].License, licence, StringComparison.Ordinal))
                {
                    key[count++] = undecided[i];
                }
            }

            key = key[..count];
            return _withheldSets.TryGet(key, out var known) ? known : _withheldSets.GetOrAdd(key, rules => "withheld while undecided: " + string.Join("; ", rules.Select(WithheldUnless)));
        }

        private readonly CodeCache<string> _withheldSets = new(1024, 1024);

        /// <summary>
        /// The licence conditions of an answer whose only conditions are what its undecided withdrawals withhold
        /// (<see cref="AddUndecided"/>): one table per set of withdrawals, shared by the answers that name it (read only).
        /// </summary>
        public Dictionary<string, string> UndecidedConditions(ReadOnlySpan<int> undecided) =>
            _undecidedTables.TryGet(undecided, out var known) ? known
            : _undecidedTables.GetOrAdd(undecided, static (rules, shared) => AddUndecided(new Dictionary<string, string>(StringComparer.Ordinal), shared._j, shared, rules), this);

        private readonly CodeCache<Dictionary<string, string>> _undecidedTables = new(1024, 1024);

        /// <summary>The warnings of an outcome's date flags (past the content's review, before the list's text), one array per combination.</summary>
        public string[] Warnings(Outcome o) => _warnings[o.Code[Outcome.PastReviewAt] & (DateFlags.PastReview | DateFlags.BeforeListText)] ??= WarningsOf(_j, o);

        /// <summary>The line of <c>unconfirmed</c> for an item whose listing no source confirms ("JP:code: note").</summary>
        public string UnconfirmedItem(int item) =>
            _unconfirmedItem[item] ??= $"{_j.Id}:{_j.Items[item].Code}: {_j.Items[item].Citation.Note ?? "item unconfirmed"}";


        /// <summary>The line of <c>unconfirmed</c> for a destination group whose membership no source confirms.</summary>
        public string FlaggedSet(int set) => _flaggedSets[set] ??= $"{_j.Sets[set].Id}: {_j.Sets[set].Citation.Note ?? "membership unconfirmed"}";

        /// <summary>The text of a missing-fact code (codes are few: fixed ones, two per fact, one per gap rule).</summary>
        public string Missing(int code) => _missing.GetOrAdd(code, static (code, j) => MissingTextOf(j, code), _j);

        /// <summary>The sentence of the explanation that names a rule which may apply, and when it does.</summary>
        public string AppliesWhen(int rule) => _appliesWhen[rule] ??= $" {_j.Requirements[rule].Title} ({_j.Requirements[rule].Id}) applies when {_j.Requirements[rule].When}.";

        private static Ground NewGround(RequirementRule r) => new(r.Kind, r.Id, r.Title, r.Citation) { ReviewPolicy = r.ReviewPolicy };

        private static bool IsScope(Section section) => section is Section.Allowing or Section.AllowMaybe or Section.Denying or Section.DenyMaybe or Section.DenySubItem;

        private TraceEntry NewTrace(Section section, int rule)
        {
            if (IsScope(section))
            {
                var s = _j.Scope[rule];
                return section switch
                {
                    Section.Allowing => new TraceEntry(s.Id, $"{s.License} can authorise: {s.Title}", s.Citation),
                    Section.AllowMaybe => new TraceEntry(s.Id, $"{s.License} can authorise if {s.When}: {s.Title}", s.Citation),
                    Section.Denying => new TraceEntry(s.Id, $"withdraws {s.License}: {s.Title}", s.Citation),
                    _ => new TraceEntry(s.Id, $"may withdraw {s.License} (item given only as a row, or a fact not given): {s.Title}", s.Citation),
                };
            }

            var r = _j.Requirements[rule];
            return section switch
            {
                Section.Grounds => new TraceEntry(r.Id, "applies", r.Citation),
                Section.Maybe => new TraceEntry(r.Id, $"may apply: it applies when {r.When} to {r.Items}", r.Citation),
                Section.ExcludedByDestination => new TraceEntry(r.Id, $"does not apply: destination is outside {r.Destinations}", r.Citation),
                _ => new TraceEntry(r.Id, r.ExportedFrom is { } from ? $"does not apply: it applies only when exported from {from}{(r.When.IsNone ? "" : $" and when {r.When}")}" : $"does not apply: it applies only when {r.When}", r.Citation),
            };
        }
    }
}
