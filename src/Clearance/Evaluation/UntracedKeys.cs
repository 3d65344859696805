using Clearance.Model;

namespace Clearance.Evaluation;

/// <summary>
/// The key of an outcome code among the untraced answers (<see cref="CompiledJurisdiction.EvaluateUntraced"/>): the
/// code with each section that only the trace lists cut to its count where the answer states it and the members an
/// answer can still name. Those sections are the rules excluded by destination and by a fact (counted by a no-licence
/// answer's explanation, not by the others), the
/// rules that can authorise, and the rules that may apply unless the answer is indeterminate (named only by an
/// indeterminate answer's explanation); the members kept are the rules whose citation is unconfirmed (an answer names
/// them in <c>unconfirmed</c>) and, among the rules excluded by destination, those with the id of another unconfirmed
/// rule (whether the destination is outside such a rule decides whether the answer names it). Everything the answer key
/// (<c>OutcomeText.AnswerKey</c>) reads is in it, so outcomes of one key have one answer.
/// </summary>
/// <remarks>
/// Keyed by the full code, the EAR's lines of the mixed benchmark batch made 61,000 entries for 21,000 answers, each
/// entry a copy of its ~0.7 KB code (most of it the Country Chart rules excluded by destination) and a miss that looked
/// its answer up again; each line compared its whole code with the entry's. The cut costs a pass over the code per line.
/// </remarks>
internal sealed class UntracedKeys
{
    private readonly bool[] _requirementKept;
    private readonly bool[] _excludedByDestinationKept;
    private readonly bool[] _scopeKept;

    /// <summary>The keys of a jurisdiction's outcomes.</summary>
    public UntracedKeys(Jurisdiction j)
    {
        _requirementKept = [.. j.Requirements.Select(r => r.Citation.Unconfirmed)];
        _scopeKept = [.. j.Scope.Select(s => s.Citation.Unconfirmed)];
        // A rule excluded by destination is never named itself (it is outside the destination), and is never in another
        // section of the same code: it counts only when another unconfirmed rule has its id (whether the destination
        // is outside that rule is looked up by id among the rules excluded by destination).
        var unconfirmedRequirements = j.Requirements.Where(r => r.Citation.Unconfirmed).CountBy(r => r.Id, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var otherUnconfirmed = j.Scope.Where(s => s.Citation.Unconfirmed).Select(s => s.Id)
            .Concat(j.Reviews.Where(v => v.Citation.Unconfirmed).Select(v => v.Id))
            .ToHashSet(StringComparer.Ordinal);
        _excludedByDestinationKept = [.. j.Requirements.Select(r =>
            otherUnconfirmed.Contains(r.Id) || unconfirmedRequirements.GetValueOrDefault(r.Id) > (r.Citation.Unconfirmed ? 1 : 0))];
    }

    /// <summary>The key of <paramref name="code"/>, written into a buffer of the thread: valid until the next call on the thread.</summary>
    public ReadOnlySpan<int> Of(ReadOnlySpan<int> code)
    {
        // At most one more value than the code per section cut (its count of members kept).
        var buffer = _buffer is { } kept && kept.Length >= code.Length + CutSections ? kept : (_buffer = new int[Math.Max(256, code.Length * 2)]);
        code[..Outcome.HeaderLength].CopyTo(buffer);
        var indeterminate = code[0] == (int)Verdict.Indeterminate;
        var noLicence = code[0] == (int)Verdict.NoLicenseRequired;
        int from = Outcome.HeaderLength, to = Outcome.HeaderLength;
        for (var s = 0; s < Outcome.SectionCount; s++)
        {
            var count = code[from];
            var flags = !IsCut((Section)s, indeterminate) ? null : (Section)s switch
            {
                Section.ExcludedByDestination => _excludedByDestinationKept,
                Section.Allowing => _scopeKept,
                _ => _requirementKept,
            };
            if (flags is null)
            {
                code.Slice(from, 1 + count).CopyTo(buffer.AsSpan(to));
                to += 1 + count;
            }
            else
            {
                // The count as the answer key has it (only a no-licence answer's explanation counts the rules
                // excluded; the others name none), the number of members kept, the members kept.
                buffer[to] = noLicence && (Section)s is Section.ExcludedByDestination or Section.ExcludedByCondition ? count : 0;
                var keptAt = to + 1;
                to += 2;
                foreach (var member in code.Slice(from + 1, count))
                {
                    if (flags[member])
                    {
                        buffer[to++] = member;
                    }
                }

                buffer[keptAt] = to - keptAt - 1;
            }

            from += 1 + count;
        }

        return buffer.AsSpan(0, to);
    }

    /// <summary>The sections cut: excluded by destination, by a fact, allowing, maybe.</summary>
    private const int CutSections = 4;

    /// <summary>Whether a key has <paramref name="section"/> cut (its count as the answer key has it, the number of members kept, those members) rather than whole.</summary>
    private static bool IsCut(Section section, bool indeterminate) =>
        section is Section.ExcludedByDestination or Section.ExcludedByCondition or Section.Allowing || (section == Section.Maybe && !indeterminate);

    [ThreadStatic]
    private static int[]? _buffer;

    /// <summary>
    /// What an untraced answer's explanation reads, from the answer's key (<see cref="Of"/>, as the cache keeps it): the
    /// header and the sections the key keeps whole, among them every section the explanation names (the grounds, the
    /// withdrawals, and an indeterminate answer's rules that may apply); each cut section is read as empty (the
    /// explanation is given the counts apart). The answer keeps no copy of its explained sections: the key it is
    /// cached by holds them. Over a buffer of the thread, valid until the next call on the thread.
    /// </summary>
    public static Outcome Explained(ReadOnlySpan<int> key)
    {
        // Never longer than the key: a cut section (two values and its members kept) becomes one.
        var buffer = _explained is { } kept && kept.Length >= key.Length ? kept : (_explained = new int[Math.Max(256, key.Length * 2)]);
        key[..Outcome.HeaderLength].CopyTo(buffer);
        var indeterminate = key[0] == (int)Verdict.Indeterminate;
        int from = Outcome.HeaderLength, to = Outcome.HeaderLength;
        for (var s = 0; s < Outcome.SectionCount; s++)
        {
            if (IsCut((Section)s, indeterminate))
            {
                buffer[to++] = 0;
                from += 2 + key[from + 1];
                continue;
            }

            var whole = key.Slice(from, 1 + key[from]);
            whole.CopyTo(buffer.AsSpan(to));
            to += whole.Length;
            from += whole.Length;
        }

        return new Outcome(buffer);
    }

    [ThreadStatic]
    private static int[]? _explained;
}
