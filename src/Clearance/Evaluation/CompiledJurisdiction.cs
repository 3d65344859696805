using System.Runtime.CompilerServices;
using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>
/// A jurisdiction compiled for fast, allocation-free determination, with no ceiling on the number of sets, rules or
/// licence types (the tables are described on <see cref="CompiledRules"/>). The tables are built the first time a line
/// needs them, not when the content is loaded: a run that never reaches a regime (a batch of exports from Japan, beside
/// the EAR's 2,880 Commerce Control List entries) does not pay for compiling it. The content itself is loaded and
/// validated in full either way. Thread-safe: the first caller builds the tables and any other waits for them.
/// <see cref="ReferenceEvaluator"/> is the specification it is tested against.
/// </summary>
public sealed class CompiledJurisdiction
{
    private readonly string _version;
    private readonly ExchangeRates _rates;
    private CompiledRules? _rules;
    private object? _building;

    private CompiledJurisdiction(Jurisdiction model, string version, ExchangeRates rates)
    {
        Model = model;
        _version = version;
        _rates = rates;
    }

    /// <summary>The jurisdiction's model.</summary>
    public Jurisdiction Model { get; }

    /// <summary>The first day of each epoch (a span of dates over which no rule or membership changes).</summary>
    public IReadOnlyList<LocalDate> EpochStarts => Rules.EpochStarts;

    /// <summary>Whether the tables have been built (a line or a caller needed them).</summary>
    public bool IsBuilt => Volatile.Read(ref _rules) is not null;

    private CompiledRules Rules
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _rules) ?? Build();
    }

    /// <summary>Compiles a jurisdiction of a validated content set; <paramref name="rates"/> convert values between currencies.</summary>
    public static CompiledJurisdiction Compile(Jurisdiction jurisdiction, string contentVersion, ExchangeRates? rates = null) =>
        new(jurisdiction, contentVersion, rates ?? ExchangeRates.None);

    /// <summary>Finds an item by its code within the jurisdiction (e.g. "3(1)").</summary>
    public bool TryFindItem(ReadOnlySpan<char> code, out int item) => Rules.TryFindItem(code, out item);

    /// <summary>
    /// Whether <paramref name="code"/> has the form of the regime's classifications while its content is incomplete
    /// (an ECCN before the Commerce Control List is in the content): such a code is recognised, and every
    /// determination names the missing content.
    /// </summary>
    public bool RecognisesCode(string code) => Model.Incomplete is not null && Rules.RecognisesCode(code);

    /// <summary>Whether the regime governs exports from <paramref name="exporter"/> on <paramref name="date"/> (by exporting country).</summary>
    [MethodImpl(HotPath.Compile)]
    public bool GovernsExportsFrom(CountryCode exporter, LocalDate date) => Rules.GovernsExportsFrom(exporter, date);

    /// <summary>Determines one shipment. Allocates only the first time an outcome is seen (and once, to build the tables).</summary>
    public Determination Evaluate(in ShipmentFacts facts) => Rules.Evaluate(facts);

    /// <summary>
    /// Determines one shipment for a caller that never reads the trace (a batch written without --trace): the same
    /// answer as <see cref="Evaluate"/> in every member but <see cref="Determination.Trace"/>, which is
    /// <see cref="Determination.NotTraced"/>, and one instance for every outcome of that answer.
    /// </summary>
    public Determination EvaluateUntraced(in ShipmentFacts facts) => Rules.EvaluateUntraced(facts);

    /// <summary>The outcome, decoded (for tests that compare with the reference evaluator).</summary>
    internal Outcome Compute(in ShipmentFacts f) => Rules.Compute(f);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private CompiledRules Build() => LazyInitializer.EnsureInitialized(ref _rules, ref _building, () => new CompiledRules(Model, _version, _rates));
}
