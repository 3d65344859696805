using Clearance.Model;

namespace Clearance.Evaluation;

/// <summary>What the compiled evaluator decided about one candidate rule, while it builds an outcome.</summary>
internal enum RuleMark : byte
{
    Ground,
    Maybe,
    ExcludedByDestination,
    ExcludedByCondition,
    Allow,
    AllowConditional,
    AllowMaybe,
    Deny,
    DenyMaybe,
    DenySubItem,
}

/// <summary>What is known of one licence type while the scope rules are read.</summary>
[Flags]
internal enum LicenseState : byte
{
    None = 0,
    Allowed = 1, // by a rule with a condition (one the engine cannot check, or a fact not given)
    Unconditional = 2,
    Withdrawn = 4,
}

/// <summary>
/// Working memory of one determination (rules filed by what was decided, missing facts, licence states), kept with the
/// per-thread <see cref="OutcomeBuilder"/> and grown when a jurisdiction needs more, so the compiled evaluator does not
/// allocate per shipment whatever the number of rules or licence types.
/// </summary>
internal sealed class EvaluationScratch
{
    private const int Marks = (int)RuleMark.DenySubItem + 1;
    private readonly int[][] _lists = [.. Enumerable.Range(0, Marks).Select(_ => new int[16])];
    private readonly int[] _counts = new int[Marks];
    private int[] _missing = new int[16];
    private LicenseState[] _licences = new LicenseState[16];

    public int MissingCount { get; private set; }

    public void Reset()
    {
        Array.Clear(_counts);
        MissingCount = 0;
    }

    /// <summary>Files a rule under what was decided about it; rules are filed in ascending order.</summary>
    public void Add(RuleMark mark, int rule)
    {
        // No ref to the element of the array of arrays: that would cost a covariance check on every call.
        var list = _lists[(int)mark];
        ref var count = ref _counts[(int)mark];
        if (count == list.Length)
        {
            Array.Resize(ref list, list.Length * 2);
            _lists[(int)mark] = list;
        }

        list[count++] = rule;
    }

    /// <summary>The rules filed under <paramref name="mark"/>, ascending.</summary>
    public ReadOnlySpan<int> List(RuleMark mark) => _lists[(int)mark].AsSpan(0, _counts[(int)mark]);

    public void AddMissing(int code)
    {
        if (MissingCount == _missing.Length)
        {
            Array.Resize(ref _missing, _missing.Length * 2);
        }

        _missing[MissingCount++] = code;
    }

    public void TruncateMissing(int count) => MissingCount = count;

    /// <summary>The missing fact codes, ascending and without repeats.</summary>
    public ReadOnlySpan<int> SortedMissing()
    {
        var span = _missing.AsSpan(0, MissingCount);
        span.Sort();
        var unique = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (unique == 0 || span[unique - 1] != span[i])
            {
                span[unique++] = span[i];
            }
        }

        return span[..unique];
    }

    /// <summary>One cleared state per licence type.</summary>
    public Span<LicenseState> Licenses(int count)
    {
        if (count > _licences.Length)
        {
            _licences = new LicenseState[Math.Max(count, _licences.Length * 2)];
        }

        var span = _licences.AsSpan(0, count);
        span.Clear();
        return span;
    }
}

/// <summary>
/// A rule's fact tests prepared for evaluation: the fact resolved to its kind and index once, end uses as a bit mask.
/// Declared facts (beyond the built-in ones) are read from the shipment's <see cref="ShipmentFacts.Declared"/> text.
/// </summary>
internal sealed class CompiledCondition
{
    private readonly Test[] _tests;

    public CompiledCondition(IReadOnlyList<FactDefinition> facts, FactCondition condition)
    {
        _tests = [.. condition.Tests.Select(t => new Test(facts, t))];
    }

    /// <summary>Yes, no, or maybe (the missing facts added to <paramref name="scratch"/>).</summary>
    public Match Evaluate(in ShipmentFacts f, ExchangeRates rates, EvaluationScratch scratch)
    {
        var result = Match.Yes;
        for (var i = 0; i < _tests.Length; i++)
        {
            var match = _tests[i].Evaluate(f, rates, scratch);
            if (match == Match.No)
            {
                return Match.No;
            }

            if (match == Match.Maybe)
            {
                result = Match.Maybe;
            }
        }

        return result;
    }

    private enum Kind : byte
    {
        EndUse,
        Informed,
        EndUserListed,
        Value,
        Quantity,
        Declared,
    }

    private sealed class Test
    {
        private readonly Kind _kind;
        private readonly int _fact;
        private readonly FactDefinition _definition;
        private readonly FactTest _test;
        private readonly int _endUses; // bit per EndUse
        private readonly bool _expected; // for a boolean test
        private readonly CompareTest? _compare;

        public Test(IReadOnlyList<FactDefinition> facts, FactTest test)
        {
            _test = test;
            _fact = facts.Select((d, i) => (d, i)).First(p => p.d.Id == test.Fact).i;
            _definition = facts[_fact];
            _kind = test.Fact switch
            {
                Facts.EndUse => Kind.EndUse,
                Facts.Informed => Kind.Informed,
                Facts.EndUserListed => Kind.EndUserListed,
                Facts.Value => Kind.Value,
                Facts.Quantity => Kind.Quantity,
                _ => Kind.Declared,
            };
            _expected = test is FlagTest { Expected: true };
            _compare = test as CompareTest;
            if (test is OneOfTest oneOf && _kind == Kind.EndUse)
            {
                foreach (var value in oneOf.Values)
                {
                    Names.TryParseEndUse(value, out var use);
                    _endUses |= 1 << (int)use;
                }
            }
        }

        public Match Evaluate(in ShipmentFacts f, ExchangeRates rates, EvaluationScratch scratch)
        {
            switch (_kind)
            {
                case Kind.EndUse:
                    return f.EndUse == EndUse.Unknown ? Missing(scratch, MissingCode.NotGiven(_fact))
                        : (_endUses & (1 << (int)f.EndUse)) != 0 ? Match.Yes : Match.No;
                case Kind.Informed:
                    return f.Informed == _expected ? Match.Yes : Match.No;
                case Kind.EndUserListed:
                    var expected = _expected;
                    return f.EndUser switch
                    {
                        EndUserStatus.Listed => expected ? Match.Yes : Match.No,
                        EndUserStatus.Clear => expected ? Match.No : Match.Yes,
                        EndUserStatus.NotGiven => Missing(scratch, MissingCode.EndUser),
                        EndUserStatus.NotScreened => Missing(scratch, MissingCode.EndUserScreening),
                        _ => Missing(scratch, MissingCode.EndUserReview),
                    };
                case Kind.Value:
                    return f.Value is { } value ? Compare(value, true, f, rates, scratch) : Missing(scratch, MissingCode.NotGiven(_fact));
                case Kind.Quantity:
                    return f.Quantity is { } quantity ? Compare(quantity, false, f, rates, scratch) : Missing(scratch, MissingCode.NotGiven(_fact));
                default:
                    return Declared(f, rates, scratch);
            }
        }

        private Match Declared(in ShipmentFacts f, ExchangeRates rates, EvaluationScratch scratch)
        {
            string? text = null;
            if (f.Declared is null || !f.Declared.TryGetValue(_definition.Id, out text) || text is null)
            {
                if (_definition.DefaultWhenMissing is not { } fallback)
                {
                    return Missing(scratch, MissingCode.NotGiven(_fact));
                }

                text = fallback ? "true" : "false";
            }

            switch (_test)
            {
                case FlagTest flag:
                    return (text == "true") == flag.Expected ? Match.Yes : Match.No;
                case OneOfTest oneOf:
                    return oneOf.Values.Contains(text) ? Match.Yes : Match.No;
                default:
                    // Declared amounts are compared in the rule's unit only (no rates for units), and read without allocating.
                    if (!Amount.TryParse(text, out var amount, out var unit))
                    {
                        return Missing(scratch, MissingCode.NotGiven(_fact));
                    }

                    return unit.SequenceEqual(_compare!.Bound.Unit) ? (_compare.Holds(amount) ? Match.Yes : Match.No) : Missing(scratch, MissingCode.Unconvertible(_fact));
            }
        }

        private Match Compare(Amount given, bool convertible, in ShipmentFacts f, ExchangeRates rates, EvaluationScratch scratch)
        {
            var test = _compare!;
            if (given.Unit == test.Bound.Unit)
            {
                return test.Holds(given.Value) ? Match.Yes : Match.No;
            }

            // A value in another currency is compared only through a rate the user supplied, never as it stands.
            if (convertible && rates.TryConvert(given.Value, given.Unit, test.Bound.Unit, f.Date, out var converted))
            {
                return test.Holds(converted) ? Match.Yes : Match.No;
            }

            return Missing(scratch, MissingCode.Unconvertible(_fact));
        }

        private static Match Missing(EvaluationScratch scratch, int code)
        {
            scratch.AddMissing(code);
            return Match.Maybe;
        }
    }
}
