using Clearance.Model;

namespace Clearance.Evaluation;

/// <summary>
/// Working memory of one determination, one per thread, grown when a jurisdiction needs more, so that the compiled
/// evaluator does not allocate per shipment whatever the number of rules or licence types: the outcome code being
/// written, the bit sets that file every candidate rule under what was decided about it (see
/// <see cref="CompiledRules"/>), and the missing facts. The code is written section by section into one buffer, each
/// section copied or expanded from its bit set at once: written one member at a time, with a bounds check and a count
/// update for each, the code cost more than the rules that decide it.
/// </summary>
internal sealed class EvaluationScratch
{
    [ThreadStatic]
    private static EvaluationScratch? _perThread;

    private int[] _code = new int[256];
    private int _length;
    private ulong[] _bits = new ulong[64];
    private int[] _missing = new int[16];

    /// <summary>The scratch of the calling thread.</summary>
    public static EvaluationScratch ForThisThread() => _perThread ??= new EvaluationScratch();

    /// <summary>How many missing fact codes have been added since the last <see cref="Start"/>.</summary>
    public int MissingCount { get; private set; }

    /// <summary>The code written since the last <see cref="Start"/>.</summary>
    public ReadOnlySpan<int> Code => _code.AsSpan(0, _length);

    /// <summary>
    /// Starts a determination: forgets the code and the missing facts, and returns <paramref name="words"/> words of
    /// bits, not cleared (the caller clears the ranges it uses, when it uses them).
    /// </summary>
    public Span<ulong> Start(int words)
    {
        _length = 0;
        MissingCount = 0;
        if (words > _bits.Length)
        {
            _bits = new ulong[Math.Max(words, _bits.Length * 2)];
        }

        return _bits.AsSpan(0, words);
    }

    /// <summary>The header: verdict, review rule, unconfirmed item, date flags, subject item (-1: none).</summary>
    public void Header(Verdict verdict, int reviewRule, int unconfirmedItem, int dateFlags)
    {
        var span = Append(Outcome.SubjectItemAt + 1);
        span[0] = (int)verdict;
        span[1] = reviewRule;
        span[2] = unconfirmedItem;
        span[Outcome.PastReviewAt] = dateFlags;
        span[Outcome.SubjectItemAt] = -1;
    }

    /// <summary>A section from an ascending list.</summary>
    public void Section(ReadOnlySpan<int> values)
    {
        var span = Append(values.Length + 1);
        span[0] = values.Length;
        values.CopyTo(span[1..]);
    }

    /// <summary>A section of the indexes of the bits set in <paramref name="bits"/> (word w, bit b: index 64w + b), ascending; returns how many.</summary>
    public int SectionOfBits(ReadOnlySpan<ulong> bits)
    {
        // One pass: room for every bit the words could hold is made first, the members written, then the count. A
        // counting pass before the writing one cost as much again, and most words are empty.
        var countAt = _length;
        Reserve(1 + (bits.Length << 6));
        var code = _code;
        var at = countAt + 1;
        for (var w = 0; w < bits.Length; w++)
        {
            for (var word = bits[w]; word != 0; word &= word - 1)
            {
                code[at++] = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word);
            }
        }

        var count = at - countAt - 1;
        code[countAt] = count;
        _length = at;
        return count;
    }

    /// <summary><paramref name="count"/> empty sections.</summary>
    public void EmptySections(int count) => Append(count).Clear();

    /// <summary>Opens a section whose members follow one by one (<see cref="Member"/>); returns where its count is.</summary>
    public int Open()
    {
        Append(1)[0] = 0;
        return _length - 1;
    }

    /// <summary>Adds a member to the section opened at <paramref name="countAt"/> (the last one opened).</summary>
    public void Member(int countAt, int value)
    {
        Append(1)[0] = value;
        _code[countAt]++;
    }

    /// <summary>Overwrites one value of the header.</summary>
    public void Patch(int index, int value) => _code[index] = value;

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

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private Span<int> Append(int count)
    {
        Reserve(count);
        var span = _code.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Makes room for <paramref name="count"/> more values of the code.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Reserve(int count)
    {
        if (_length + count > _code.Length)
        {
            Array.Resize(ref _code, Math.Max(_length + count, _code.Length * 2));
        }
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
        // A declared fact the shipment does not give (most lines give none): decided once here, not per line.
        private readonly Match _absent;
        private readonly int _absentMissing; // the missing fact code of that case, or -1

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

            if (_kind == Kind.Declared)
            {
                // Not given: the fact's default read as its text would be, or undecided without one.
                (_absent, _absentMissing) = _definition.DefaultWhenMissing is { } fallback
                    ? (OfText(fallback ? "true" : "false", out var missing), missing)
                    : (Match.Maybe, MissingCode.NotGiven(_fact));
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
                    return Declared(f, scratch);
            }
        }

        private Match Declared(in ShipmentFacts f, EvaluationScratch scratch)
        {
            if (f.Declared is null || !f.Declared.TryGetValue(_definition.Id, out var text) || text is null)
            {
                return _absentMissing >= 0 ? Missing(scratch, _absentMissing) : _absent;
            }

            var match = OfText(text, out var missing);
            return missing >= 0 ? Missing(scratch, missing) : match;
        }

        /// <summary>What the test decides on a declared fact's text; a missing fact code, or -1, in <paramref name="missing"/>.</summary>
        private Match OfText(string text, out int missing)
        {
            missing = -1;
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
                        missing = MissingCode.NotGiven(_fact);
                        return Match.Maybe;
                    }

                    if (!unit.SequenceEqual(_compare!.Bound.Unit))
                    {
                        missing = MissingCode.Unconvertible(_fact);
                        return Match.Maybe;
                    }

                    return _compare.Holds(amount) ? Match.Yes : Match.No;
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
