using Clearance.Model;

namespace Clearance.Evaluation;

/// <summary>
/// Codes of the facts whose absence left a rule undecided. The fixed codes cover what is not a fact of the shipment
/// (coverage, item detail, content); a fact's codes follow from its index in <see cref="Jurisdiction.AllFacts"/>, so
/// a jurisdiction can declare any number of facts.
/// </summary>
internal static class MissingCode
{
    public const int Coverage = 0;
    public const int ItemDetail = 1;
    public const int Classification = 2;
    public const int Content = 3;
    public const int EndUser = 4;
    public const int EndUserScreening = 5;
    public const int EndUserReview = 6;
    private const int FactBase = 8;

    /// <summary>The fact was not given.</summary>
    public static int NotGiven(int fact) => FactBase + (2 * fact);

    /// <summary>The fact was given in a unit (currency) that cannot be converted into the rule's.</summary>
    public static int Unconvertible(int fact) => FactBase + (2 * fact) + 1;

    /// <summary>A gap rule (kind gap) took the shipment: the content does not cover it. Negative, so gaps come first.</summary>
    public static int Gap(int rule) => -1 - rule;

    /// <summary>The gap rule a negative code names.</summary>
    public static int GapRule(int code) => -1 - code;

    /// <summary>The fact index and whether the code is for an unconvertible unit; -1 for the fixed codes.</summary>
    public static (int Fact, bool Unconvertible) Decode(int code) =>
        code < FactBase ? (-1, false) : ((code - FactBase) / 2, ((code - FactBase) & 1) == 1);
}

/// <summary>The sections of an <see cref="Outcome"/>'s code, in order.</summary>
internal enum Section
{
    Grounds,
    Maybe,
    ExcludedByDestination,
    ExcludedByCondition,
    Missing,
    Eligible,
    Allowing,
    Conditional,
    AllowMaybe,
    Denying,
    DenyMaybe,
    DenySubItem,
    Groups,
    UnconfirmedMemberships,
}

/// <summary>
/// What a determination decided, encoded as one sequence of integers: the verdict, the review rule, the unconfirmed
/// item, whether the date is past the content's review, the item given when a withdrawal depends on its sub-items, then each <see cref="Section"/> as a count followed by ascending indexes (rules, licence types, sets, missing
/// fact codes, unconfirmed membership records of <see cref="UnconfirmedMembership.Of"/>). Both evaluators produce it; equal codes share one <see cref="Determination"/>. Index lists instead of
/// bit masks: a jurisdiction may have any number of rules, sets and licence types.
/// </summary>
internal sealed class Outcome
{
    public const int SectionCount = 14;
    public const int PastReviewAt = 3;
    public const int SubjectItemAt = 4;
    /// <summary>The header's length: verdict, review rule, unconfirmed item, date flags, subject item.</summary>
    public const int HeaderLength = 5;

    private readonly int[] _code;
    private readonly int[] _starts = new int[SectionCount];

    public Outcome(int[] code)
    {
        _code = code;
        Index();
    }

    private Outcome(int length) => _code = new int[length];

    /// <summary>Where each section starts in the code.</summary>
    private void Index()
    {
        var at = HeaderLength;
        for (var s = 0; s < SectionCount; s++)
        {
            _starts[s] = at;
            at += 1 + _code[at];
        }
    }

    /// <summary>
    /// <paramref name="code"/> as an outcome over a buffer of the thread, valid until the next call on the thread (its
    /// <see cref="Code"/> may run on past the last section): for a caller that keeps nothing of it. An untraced answer
    /// keeps copies of the sections it names (<c>OutcomeText.BuildUntraced</c>): a new outcome there copied the EAR's
    /// ~0.7 KB code and allocated two arrays on each of the tens of thousands of misses of a US batch (docs/benchmarks.md,
    /// check-us23).
    /// </summary>
    public static Outcome OnThread(ReadOnlySpan<int> code)
    {
        var outcome = _onThread;
        if (outcome is null || outcome._code.Length < code.Length)
        {
            outcome = _onThread = new Outcome(Math.Max(1024, code.Length * 2));
        }

        code.CopyTo(outcome._code);
        outcome.Index();
        return outcome;
    }

    [ThreadStatic]
    private static Outcome? _onThread;

    public int[] Code => _code;

    public Verdict Verdict => (Verdict)_code[0];

    public int ReviewRule => _code[1];

    public int UnconfirmedItem => _code[2];

    /// <summary>Whether the export date is after the content's last review.</summary>
    public bool PastReview => (_code[PastReviewAt] & DateFlags.PastReview) != 0;

    /// <summary>Whether the export date is before the day the control list's text is of (<see cref="Jurisdiction.ListAsOf"/>).</summary>
    public bool BeforeListText => (_code[PastReviewAt] & DateFlags.BeforeListText) != 0;

    /// <summary>The item given, when a licence withdrawal depends on which of its sub-items it is; else -1.</summary>
    public int SubjectItem => _code[SubjectItemAt];

    public ReadOnlySpan<int> this[Section section]
    {
        get
        {
            var start = _starts[(int)section];
            return _code.AsSpan(start + 1, _code[start]);
        }
    }

    public int[] List(Section section) => this[section].ToArray();
}

/// <summary>
/// Writes an outcome's code section by section, member by member, as the reference evaluator decides it (the compiled
/// evaluator writes its code from bit sets into its per-thread <see cref="EvaluationScratch"/>).
/// </summary>
internal sealed class OutcomeBuilder
{
    private int[] _buffer = new int[256];
    private int _length;
    private int _countAt = -1;

    public ReadOnlySpan<int> Code => _buffer.AsSpan(0, _length);

    public OutcomeBuilder Start(Verdict verdict, int reviewRule, int unconfirmedItem, int dateFlags, int subjectItem = -1)
    {
        _length = 0;
        _countAt = -1;
        Add((int)verdict);
        Add(reviewRule);
        Add(unconfirmedItem);
        Add(dateFlags);
        Add(subjectItem);
        return this;
    }

    /// <summary>Opens the next section; the values added until the next call are its (ascending) members.</summary>
    public void Open()
    {
        _countAt = _length;
        Add(0);
    }

    public void Member(int value)
    {
        Add(value);
        _buffer[_countAt]++;
    }

    /// <summary>A whole section from a list.</summary>
    public void Section(ReadOnlySpan<int> values)
    {
        Open();
        foreach (var v in values)
        {
            Member(v);
        }
    }

    /// <summary><paramref name="count"/> empty sections, for outcomes that stop early.</summary>
    public void EmptySections(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Open();
        }
    }

    public void Patch(int index, int value) => _buffer[index] = value;

    private void Add(int value)
    {
        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[_length++] = value;
    }
}

/// <summary>What the export date says about the content's own dates, as bits of one header slot of the outcome.</summary>
internal static class DateFlags
{
    /// <summary>After the content's last review: the rules may have changed since.</summary>
    public const int PastReview = 1;

    /// <summary>Before the day the control list's text is of: the list may have read otherwise then.</summary>
    public const int BeforeListText = 2;

    /// <summary>The flags of an export date.</summary>
    public static int Of(Jurisdiction j, NodaTime.LocalDate date) =>
        (j.Reviewed is { } reviewed && date > reviewed ? PastReview : 0) | (j.ListAsOf is { } listed && date < listed ? BeforeListText : 0);
}

/// <summary>Three-valued logic shared by the evaluators.</summary>
internal static class Tri
{
    public static Match And(Match a, Match b) =>
        a == Match.No || b == Match.No ? Match.No
        : a == Match.Maybe || b == Match.Maybe ? Match.Maybe
        : Match.Yes;
}
