using Clearance.Model;

namespace Clearance.Evaluation;

/// <summary>The answer for a shipment.</summary>
public enum Verdict : byte
{
    /// <summary>No licence is required.</summary>
    NoLicenseRequired,
    /// <summary>A licence is required; see the eligible licence types.</summary>
    LicenseRequired,
    /// <summary>The export is prohibited.</summary>
    Prohibited,
    /// <summary>The answer depends on a fact that was not given; see the missing facts.</summary>
    Indeterminate,
}

/// <summary>One reason a licence is required or the export prohibited.</summary>
/// <param name="Kind">List control, catch-all, end-user or embargo.</param>
/// <param name="Rule">The rule id.</param>
/// <param name="Title">What the rule says.</param>
/// <param name="Citation">Legal basis.</param>
public sealed record Ground(RequirementKind Kind, string Rule, string Title, Citation Citation)
{
    /// <summary>How an application for the licence this ground requires is reviewed, when the content states it.</summary>
    public string? ReviewPolicy { get; init; }
}

/// <summary>A rule the determination consulted, and what it did.</summary>
/// <param name="Rule">Rule id.</param>
/// <param name="Effect">What it did, e.g. "applies", "may apply", "withdraws general-bulk".</param>
/// <param name="Citation">Legal basis.</param>
public sealed record TraceEntry(string Rule, string Effect, Citation Citation);

/// <summary>
/// The determination for one shipment on one date: verdict, licence types that can authorise it, grounds with their
/// citations, the facts that were missing, a trace of the rules consulted, and the content version. Instances are
/// shared between shipments with the same outcome; they are immutable.
/// </summary>
/// <param name="Jurisdiction">Exporting jurisdiction id.</param>
/// <param name="Verdict">The answer.</param>
/// <param name="EligibleLicenses">Licence type ids that can authorise the export (empty unless a licence is required).</param>
/// <param name="LicenseConditions">
/// Licence types available only under a condition the engine cannot check, with the condition: eligible types with a
/// condition; types that depend on which sub-item a whole-item code stands for (not in the eligible list); for a
/// prohibition, the exception the measure provides.
/// </param>
/// <param name="ReviewDays">Standard review period of an individual licence for this case, or null.</param>
/// <param name="Grounds">Why a licence is required or the export is prohibited.</param>
/// <param name="MissingFacts">For an indeterminate verdict: the facts that would decide it.</param>
/// <param name="DestinationGroups">The destination's groups on the date (e.g. "Group B").</param>
/// <param name="Trace">Every rule that applied, may have applied, or restricted a licence type.</param>
/// <param name="Unconfirmed">Notes on facts used that no source confirms.</param>
/// <param name="Explanation">The reason in one paragraph.</param>
/// <param name="ContentVersion">The content version the answer was computed from.</param>
public sealed record Determination(
    string Jurisdiction,
    Verdict Verdict,
    IReadOnlyList<string> EligibleLicenses,
    IReadOnlyDictionary<string, string> LicenseConditions,
    int? ReviewDays,
    IReadOnlyList<Ground> Grounds,
    IReadOnlyList<string> MissingFacts,
    IReadOnlyList<string> DestinationGroups,
    IReadOnlyList<TraceEntry> Trace,
    IReadOnlyList<string> Unconfirmed,
    string Explanation,
    string ContentVersion)
{
    /// <summary>
    /// What the officer must know beyond the verdict, e.g. that the export date is after the content's last review
    /// (the rules may have changed since). Empty when there is nothing to say.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The reason in one paragraph (built when first read, for a determination whose explanation is built on demand).</summary>
    public string Explanation
    {
        get => _explanation.Text;
        init => _explanation = new ExplanationField(value);
    }

    // The explanation's string, or what builds it (OutcomeText's new answers: a batch written as JSON never reads the
    // string, see TryWriteExplanation); compared and hashed as the text, as the string was.
    private ExplanationField _explanation = new(Explanation);

    /// <summary>A determination whose explanation is built when first read or written (<see cref="TryWriteExplanation"/>).</summary>
    internal Determination(
        string jurisdiction, Verdict verdict, IReadOnlyList<string> eligibleLicenses, IReadOnlyDictionary<string, string> licenseConditions, int? reviewDays, IReadOnlyList<Ground> grounds,
        IReadOnlyList<string> missingFacts, IReadOnlyList<string> destinationGroups, IReadOnlyList<TraceEntry> trace, IReadOnlyList<string> unconfirmed, DeferredText explanation, string contentVersion)
        : this(jurisdiction, verdict, eligibleLicenses, licenseConditions, reviewDays, grounds, missingFacts, destinationGroups, trace, unconfirmed, string.Empty, contentVersion)
    {
        _explanation = new ExplanationField(explanation);
    }

    /// <summary>
    /// Appends the explanation to <paramref name="text"/> when it is built on demand and has not been read as a string,
    /// without making the string: a writer of a new answer's wire form copies its characters once instead of a string
    /// of ~2 KB kept per answer (the EAR's ~21,000 answers in the mixed benchmark batch). Returns false, appending
    /// nothing, when the explanation is a string: read <see cref="Explanation"/>.
    /// </summary>
    public bool TryWriteExplanation(System.Text.StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _explanation.TryWrite(text);
    }

    /// <summary>
    /// The explanation's identity: its string, or what builds it on demand. Copies made with <c>with</c> share it; equal
    /// references mean equal texts (a writer compares answers by their members' references without reading the text).
    /// </summary>
    /// <remarks>A method, not a property, so that the record's <see cref="object.ToString"/> and a serialiser do not show it.</remarks>
    public object ExplanationIdentity() => _explanation.Value;

    // What a writer of results keeps with this determination (see WriterSlot): a field of a type that every other
    // instance equals, so that the record's equality and hash code stay those of the answer's members.
    private WriterSlotField _writerSlot;

    /// <summary>
    /// What a writer of results last kept with this determination (its wire form), or null. The core never reads or
    /// sets it: it is there so that a writer reaches the form of a determination it has written before without a
    /// lookup by the determination, on every line of a batch. Not part of the answer: equality, hashing and
    /// <see cref="object.ToString"/> ignore it, and a copy made with <c>with</c> starts with the original's value, so a
    /// writer must check that what it finds is its own and for this very instance. Read and written whole (a
    /// reference), so threads writing lines at once see one value or another, never part of one.
    /// </summary>
    public object? WriterSlot() => Volatile.Read(ref _writerSlot.Value);

    /// <summary>Keeps <paramref name="value"/> with this determination for a writer of results (see <see cref="WriterSlot"/>).</summary>
    /// <param name="value">What the writer keeps; replaces what any writer kept before.</param>
    public void SetWriterSlot(object? value) => Volatile.Write(ref _writerSlot.Value, value);

    /// <summary>
    /// The <see cref="Trace"/> of a determination evaluated for a caller that never reads it (a batch written without
    /// --trace, <see cref="CompiledJurisdiction.EvaluateUntraced"/>): reading it throws, so that a caller that does
    /// read the trace finds out at once rather than reading another outcome's. Such determinations are shared by every
    /// outcome of one answer (the EAR's outcomes differ mostly in the rules their trace lists).
    /// </summary>
    public static IReadOnlyList<TraceEntry> NotTraced { get; } = new UntracedTrace();

    /// <summary>Whether the determination was evaluated without its trace (<see cref="NotTraced"/>).</summary>
    internal bool IsTraced => !ReferenceEquals(Trace, NotTraced);

    /// <summary>How restrictive a verdict is: no licence &lt; indeterminate &lt; licence required &lt; prohibited.</summary>
    public static int Severity(Verdict verdict) => verdict switch
    {
        Verdict.NoLicenseRequired => 0,
        Verdict.Indeterminate => 1,
        Verdict.LicenseRequired => 2,
        _ => 3,
    };

    /// <summary>
    /// The combined answer of several regimes that govern one export (Japan's law and the EAR for a US item shipped
    /// from Japan): the most restrictive verdict; a licence from every regime that requires one (ids qualified by the
    /// regime, "JP:individual"); the longest review; every ground, trace entry and unconfirmed fact; missing facts,
    /// groups, warnings and explanations prefixed by their regime.
    /// </summary>
    public static Determination Combine(IReadOnlyList<Determination> regimes)
    {
        ArgumentNullException.ThrowIfNull(regimes);
        if (regimes.Count == 1)
        {
            return regimes[0];
        }

        var verdict = regimes.MaxBy(d => Severity(d.Verdict))!.Verdict;
        var requiring = regimes.Where(d => d.Verdict == Verdict.LicenseRequired).ToList();
        return new Determination(
            string.Join('+', regimes.Select(d => d.Jurisdiction)),
            verdict,
            verdict == Verdict.LicenseRequired ? [.. requiring.SelectMany(d => d.EligibleLicenses.Select(l => $"{d.Jurisdiction}:{l}"))] : [],
            verdict is Verdict.LicenseRequired or Verdict.Prohibited
                ? regimes.Where(d => d.Verdict == verdict).SelectMany(d => d.LicenseConditions.Select(c => ($"{d.Jurisdiction}:{c.Key}", c.Value))).ToDictionary(p => p.Item1, p => p.Value, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
            regimes.Max(d => d.ReviewDays),
            [.. regimes.SelectMany(d => d.Grounds)],
            [.. regimes.SelectMany(d => d.MissingFacts.Select(m => $"{d.Jurisdiction}: {m}"))],
            [.. regimes.SelectMany(d => d.DestinationGroups.Select(g => $"{d.Jurisdiction}: {g}"))],
            regimes.All(d => d.IsTraced) ? [.. regimes.SelectMany(d => d.Trace)] : NotTraced,
            [.. regimes.SelectMany(d => d.Unconfirmed).Distinct()],
            string.Join(' ', regimes.Select(d => $"{d.Jurisdiction}: {d.Explanation}")),
            regimes[0].ContentVersion)
        {
            Warnings = [.. regimes.SelectMany(d => d.Warnings.Select(w => $"{d.Jurisdiction}: {w}")).Distinct()],
        };
    }

    /// <summary>Wire name of a verdict: "no-license-required", "license-required", "prohibited", "indeterminate".</summary>
    public static string Name(Verdict verdict) => verdict switch
    {
        Verdict.NoLicenseRequired => "no-license-required",
        Verdict.LicenseRequired => "license-required",
        Verdict.Prohibited => "prohibited",
        _ => "indeterminate",
    };
}

/// <summary>The trace of a determination evaluated without one (<see cref="Determination.NotTraced"/>): every read throws.</summary>
internal sealed class UntracedTrace : IReadOnlyList<TraceEntry>
{
    private const string Message = "the determination was evaluated without its trace (EvaluateUntraced): evaluate with Evaluate to read it";

    public int Count => throw new InvalidOperationException(Message);

    public TraceEntry this[int index] => throw new InvalidOperationException(Message);

    public IEnumerator<TraceEntry> GetEnumerator() => throw new InvalidOperationException(Message);

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "not traced";
}

/// <summary>
/// A text built when first read, by a writer of it into a <see cref="System.Text.StringBuilder"/> (an answer's
/// explanation). The writer must write the same text each time; two threads reading it first at once build equal
/// strings, either kept.
/// </summary>
/// <remarks>
/// A text of many parts derives from it and writes them in <see cref="Write"/> (one object per text); a delegate over
/// them is a closure, its delegate and this object.
/// </remarks>
internal class DeferredText
{
    private readonly Action<System.Text.StringBuilder>? _write;
    private string? _text;

    /// <summary>A text written by <paramref name="write"/>.</summary>
    /// <param name="write">Appends the text.</param>
    public DeferredText(Action<System.Text.StringBuilder> write) => _write = write;

    /// <summary>For a derived text that overrides <see cref="Write"/>.</summary>
    protected DeferredText()
    {
    }

    /// <summary>Appends the text (the same each time).</summary>
    protected virtual void Write(System.Text.StringBuilder text) => _write!(text);

    /// <summary>The text, built on first read.</summary>
    public string Text => Volatile.Read(ref _text) ?? Built();

    /// <summary>Appends the text, built again unless it was read as a string.</summary>
    public void WriteTo(System.Text.StringBuilder text)
    {
        if (Volatile.Read(ref _text) is { } built)
        {
            text.Append(built);
            return;
        }

        Write(text);
    }

    private string Built()
    {
        // A builder of the thread, taken out of its slot while in use so that a text built inside another gets its own.
        var scratch = _scratch ?? new System.Text.StringBuilder(1024);
        _scratch = null;
        try
        {
            scratch.Clear();
            Write(scratch);
            var text = scratch.ToString();
            Volatile.Write(ref _text, text);
            return text;
        }
        finally
        {
            scratch.Clear();
            if (scratch.Capacity > MaxKeptCapacity)
            {
                scratch.Capacity = MaxKeptCapacity;
            }

            _scratch = scratch;
        }
    }

    /// <summary>The capacity the reused builder keeps after a text longer than usual.</summary>
    private const int MaxKeptCapacity = 16 * 1024;

    [ThreadStatic]
    private static System.Text.StringBuilder? _scratch;
}

/// <summary>
/// The holder of <see cref="Determination.Explanation"/>: a string, or the <see cref="DeferredText"/> that builds it;
/// equal and hashed as the text, so that the record's synthesised equality is the text's, as for a string member.
/// </summary>
/// <param name="value">The string or its builder.</param>
internal readonly struct ExplanationField(object value) : IEquatable<ExplanationField>
{
    private readonly object _value = value;

    /// <summary>The string or its builder.</summary>
    public object Value => _value;

    /// <summary>The text.</summary>
    public string Text => _value is DeferredText deferred ? deferred.Text : (string)_value;

    /// <summary>Appends the text when it is built on demand (see <see cref="Determination.TryWriteExplanation"/>).</summary>
    public bool TryWrite(System.Text.StringBuilder text)
    {
        if (_value is not DeferredText deferred)
        {
            return false;
        }

        deferred.WriteTo(text);
        return true;
    }

    public bool Equals(ExplanationField other) => string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ExplanationField other && Equals(other);

    public override int GetHashCode() => Text?.GetHashCode(StringComparison.Ordinal) ?? 0;

    public static bool operator ==(ExplanationField left, ExplanationField right) => left.Equals(right);

    public static bool operator !=(ExplanationField left, ExplanationField right) => !left.Equals(right);
}

/// <summary>
/// The holder of <see cref="Determination.WriterSlot"/>: equal to every other and of one hash code, so that the
/// record's synthesised equality, which compares every field, does not depend on what a writer kept.
/// </summary>
internal struct WriterSlotField : IEquatable<WriterSlotField>
{
    /// <summary>What the writer kept, or null.</summary>
    public object? Value;

    public readonly bool Equals(WriterSlotField other) => true;

    public override readonly bool Equals(object? obj) => obj is WriterSlotField;

    public override readonly int GetHashCode() => 0;

    public static bool operator ==(WriterSlotField left, WriterSlotField right) => left.Equals(right);

    public static bool operator !=(WriterSlotField left, WriterSlotField right) => !left.Equals(right);
}
