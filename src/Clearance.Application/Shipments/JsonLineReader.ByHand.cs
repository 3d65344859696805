using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// The common line read by hand: a flat object of the contract's usual fields with plain values, as nearly every line
/// of a batch is (<c>{"id":"o-1","date":"2024-01-01","from":"JP",...,"held":["individual"]}</c>). One pass over the
/// span gives the same ranges <see cref="System.Text.Json.Utf8JsonReader"/>'s walk gives, and the same validation follows; the
/// reader's token machinery was a fifth of the reading thread (docs/benchmarks.md, check-reader13). Anything else
/// falls back to that walk unchanged, which produces every error message: an escape or a byte outside printable
/// ASCII anywhere, whitespace between tokens, a field not in the short list below or given twice, a value of another
/// type than the usual one (a null, a number where a string is usual), a number with an exponent, a list too long,
/// anything malformed. The fallback decides nothing the hand reader decided: it starts from nothing.
/// </summary>
public sealed partial class JsonLineReader
{
    // Printable ASCII but the backslash: a line of these bytes only has no escape, no control byte (invalid JSON) and
    // no multi-byte character (whose validity the walk checks), so a string ends at the next quote.
    private static readonly SearchValues<byte> Plain = SearchValues.Create(
        Enumerable.Range(0x20, 0x7F - 0x20).Where(b => b != '\\').Select(b => (byte)b).ToArray());

    /// <summary>Lines read by hand, for the tests that each kind of unusual line falls back.</summary>
    internal long LinesReadByHand { get; private set; }

    /// <summary>The field ranges of one line, by whichever reader found them.</summary>
    private ref struct Ranges
    {
        public Field Date, From, To, EndUse, Decision, ValueAmount, ValueCurrency, QuantityAmount, QuantityUnit;
        public Span<Field> Items, Held;
        public int ItemCount, HeldCount;
    }

    /// <summary>
    /// Reads <paramref name="line"/> by hand into <paramref name="ranges"/> and <paramref name="text"/>; false when the
    /// line is not of the common shape (then both are partly written and must be started afresh).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private bool ReadByHand(ReadOnlySpan<byte> line, ref Ranges ranges, ref ShipmentFieldText text)
    {
        if (line.Length < 2 || line[0] != '{' || line.IndexOfAnyExcept(Plain) >= 0)
        {
            return false;
        }

        var seen = 0;
        var at = 1;
        while (true)
        {
            // The usual fields, most frequent first; each one's bit (1 << its number) makes a repeated field fall back
            // (the walk keeps the last one).
            var field = FieldAt(line, ref at);
            bool read;
            if (field == UsualField.Id)
            {
                var number = line[at] != '"';
                read = number ? Number(line, ref at, out var id) : String(line, ref at, out id);
                if (read)
                {
                    text.Id = new ShipmentId(Encoding.ASCII.GetString(line.Slice(id.Start, id.Length)), number);
                }
            }
            else if (field == UsualField.Date)
            {
                read = text.HasDate = String(line, ref at, out ranges.Date);
            }
            else if (field == UsualField.From)
            {
                read = text.HasFrom = String(line, ref at, out ranges.From);
            }
            else if (field == UsualField.To)
            {
                read = text.HasTo = String(line, ref at, out ranges.To);
            }
            else if (field == UsualField.Item)
            {
                if (line[at] == '[')
                {
                    read = List(line, ref at, ranges.Items, out ranges.ItemCount);
                }
                else
                {
                    read = String(line, ref at, out ranges.Items[0]);
                    ranges.ItemCount = 1;
                }
            }
            else if (field == UsualField.EndUse)
            {
                read = text.HasEndUse = String(line, ref at, out ranges.EndUse);
            }
            else if (field == UsualField.Held)
            {
                read = List(line, ref at, ranges.Held, out ranges.HeldCount);
            }
            else if (field == UsualField.Value)
            {
                read = text.HasValue = Money(line, ref at, ref ranges, ref text);
            }
            else if (field == UsualField.EndUser)
            {
                read = Name(line, ref at, out text.EndUser);
            }
            else if (field == UsualField.Consignee)
            {
                read = Name(line, ref at, out text.Consignee);
            }
            else if (field == UsualField.Informed)
            {
                read = Literal(line, ref at, out text.Informed);
            }
            else
            {
                return false;
            }

            var bit = 1 << (int)field;
            if (!read || (seen & bit) != 0 || at >= line.Length)
            {
                return false;
            }

            seen |= bit;
            if (line[at] == '}')
            {
                // One object per line, nothing after it (trailing whitespace is the walk's).
                if (at != line.Length - 1)
                {
                    return false;
                }

                LinesReadByHand++;
                return true;
            }

            if (line[at++] != ',')
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The shipment of a line read by hand when every value has its usual form (a date YYYY-MM-DD, two-letter country
    /// codes, an end use as the contract spells it, an amount of digits with at most 18 of them, a currency of three
    /// capitals, classifications already well formed): built from the line's bytes, without transcoding each value
    /// for <see cref="ShipmentFields.Validate"/> and the text it reads. Null for anything else, which
    /// <see cref="ShipmentFields.Validate"/> then decides (the error, or the shipment of a value in an unusual valid
    /// form: "jp", "Japan", "Civil", "1e3"): this path only accepts what that one accepts, and builds the same shipment.
    /// </summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private Shipment? Quick(ReadOnlySpan<byte> line, scoped in Ranges ranges, scoped in ShipmentFieldText text)
    {
        if (!text.HasDate || !text.HasFrom || !text.HasTo || ranges.ItemCount <= 0 || ranges.From.Length != 2 || ranges.To.Length != 2
            || !ShipmentFields.IsLetterPair(line[ranges.From.Start], line[ranges.From.Start + 1], out var from) || from.Value is null
            || !ShipmentFields.IsLetterPair(line[ranges.To.Start], line[ranges.To.Start + 1], out var to) || to.Value is null
            || to.Index == from.Index)
        {
            return null;
        }

        // The line is printable ASCII (the hand reader's condition): a value widens to the same chars it transcodes to.
        Span<char> chars = stackalloc char[32];
        if (Widened(line, ranges.Date, chars) is not { Length: 10 } date || !ShipmentFields.TryParseDate(date, out var day))
        {
            return null;
        }

        var endUse = EndUse.Unknown;
        if (text.HasEndUse && (Widened(line, ranges.EndUse, chars) is not { IsEmpty: false } use || !Names.TryParseEndUse(use, out endUse)))
        {
            return null;
        }

        Money? value = null;
        if (text.HasValue)
        {
            if (!text.HasValueAmount || !text.HasValueCurrency || !QuickAmount(line.Slice(ranges.ValueAmount.Start, ranges.ValueAmount.Length), out var amount)
                || line.Slice(ranges.ValueCurrency.Start, ranges.ValueCurrency.Length) is not { Length: 3 } currency || currency.ContainsAnyExceptInRange((byte)'A', (byte)'Z'))
            {
                return null;
            }

            value = new Money(amount, Single(currency)[0]);
        }

        if (Classifications(line, ranges.Items[..ranges.ItemCount]) is not { } items)
        {
            return null;
        }

        return new Shipment(text.Id, day, from, to, items, endUse, text.Informed, text.EndUser, Strings(line, ranges.Held[..ranges.HeldCount]), value, null, null,
            Consignee: text.Consignee);
    }

    /// <summary>
    /// The classifications of <paramref name="fields"/> (ranges of the line, none escaped) when each is well formed
    /// (<see cref="ShipmentFields.IsClassification"/>), or null. Those found well formed are kept by their bytes: a
    /// line's item is looked up once, not looked up and then checked (the check was a twentieth of the reading thread).
    /// A key of one value has no quote, a list's has its quotes and commas: they never meet.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private string[]? Classifications(ReadOnlySpan<byte> line, ReadOnlySpan<Field> fields)
    {
        var key = line[fields[0].Start..(fields[^1].Start + fields[^1].Length)];
        var hash = Vocabulary.Hash(key);
        if (_classifications.TryGet(key, hash) is { } known)
        {
            return known;
        }

        var strings = Strings(line, fields);
        foreach (var item in strings)
        {
            if (!ShipmentFields.IsClassification(item))
            {
                return null;
            }
        }

        _classifications.TryAdd(key, hash, strings);
        return strings;
    }

    /// <summary>The value's bytes as chars (ASCII: one each), or empty when it does not fit in <paramref name="chars"/>.</summary>
    private static ReadOnlySpan<char> Widened(ReadOnlySpan<byte> line, Field field, Span<char> chars)
    {
        if (field.Length > chars.Length)
        {
            return [];
        }

        var bytes = line.Slice(field.Start, field.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return chars[..bytes.Length];
    }

    /// <summary>
    /// Digits with an optional fractional part, at most 18 digits in all, as the decimal
    /// <see cref="ShipmentFields.TryParseAmount"/> gives (the same scale: "1200.50" keeps its two places); false for
    /// anything else (a sign, an exponent, more digits), which that method then reads.
    /// </summary>
    internal static bool QuickAmount(ReadOnlySpan<byte> text, out decimal amount)
    {
        amount = 0;
        ulong digits = 0;
        int count = 0, point = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '.' && point < 0 && i > 0 && i < text.Length - 1)
            {
                point = i;
                continue;
            }

            if ((uint)(b - '0') > 9 || ++count > 18)
            {
                return false;
            }

            digits = (digits * 10) + (uint)(b - '0');
        }

        if (count == 0)
        {
            return false;
        }

        var scale = point < 0 ? 0 : text.Length - point - 1;
        amount = new decimal((int)digits, (int)(digits >> 32), 0, false, (byte)scale);
        return true;
    }

    /// <summary>
    /// The usual field whose quoted name and colon are at <paramref name="at"/>, with a value after it (then past it), or
    /// <see cref="UsualField.None"/> for anything else. By the name's first letter, then compared whole: no search for
    /// its closing quote, no comparison with each name.
    /// </summary>
    private static UsualField FieldAt(ReadOnlySpan<byte> line, ref int at) => at + 1 >= line.Length ? UsualField.None : line[at + 1] switch
    {
        (byte)'i' => Named(line, ref at, "\"id\":"u8) ? UsualField.Id : Named(line, ref at, "\"item\":"u8) ? UsualField.Item : Named(line, ref at, "\"informed\":"u8) ? UsualField.Informed : UsualField.None,
        (byte)'d' => Named(line, ref at, "\"date\":"u8) ? UsualField.Date : UsualField.None,
        (byte)'f' => Named(line, ref at, "\"from\":"u8) ? UsualField.From : UsualField.None,
        (byte)'t' => Named(line, ref at, "\"to\":"u8) ? UsualField.To : UsualField.None,
        (byte)'e' => Named(line, ref at, "\"end_use\":"u8) ? UsualField.EndUse : Named(line, ref at, "\"end_user\":"u8) ? UsualField.EndUser : UsualField.None,
        (byte)'h' => Named(line, ref at, "\"held\":"u8) ? UsualField.Held : UsualField.None,
        (byte)'v' => Named(line, ref at, "\"value\":"u8) ? UsualField.Value : UsualField.None,
        (byte)'c' => Named(line, ref at, "\"consignee\":"u8) ? UsualField.Consignee : UsualField.None,
        _ => UsualField.None,
    };

    /// <summary>The fields the hand reader reads (any other makes the line fall back to the walk).</summary>
    private enum UsualField
    {
        None = -1,
        Id,
        Date,
        From,
        To,
        Item,
        EndUse,
        Held,
        Value,
        EndUser,
        Consignee,
        Informed,
    }

    /// <summary>Whether <paramref name="name"/> (a quoted name and its colon) is at <paramref name="at"/>, with a value after it: then past it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool Named(ReadOnlySpan<byte> line, ref int at, ReadOnlySpan<byte> name)
    {
        if (!line[at..].StartsWith(name) || at + name.Length >= line.Length)
        {
            return false;
        }

        at += name.Length;
        return true;
    }

    /// <summary>A string at <paramref name="at"/>: its range without the quotes (the line has no escape).</summary>
    private static bool String(ReadOnlySpan<byte> line, ref int at, out Field field)
    {
        field = default;
        if (at >= line.Length || line[at] != '"')
        {
            return false;
        }

        // Most values are short: their first 16 bytes compared at once, before a search call (IndexOf's calls, some
        // 15 a line with the names', were a tenth of the reading thread's samples).
        var rest = line[(at + 1)..];
        var quotes = rest.Length >= 16 ? Vector128.Equals(Vector128.Create(rest), Vector128.Create((byte)'"')).ExtractMostSignificantBits() : 0;
        var length = quotes != 0 ? BitOperations.TrailingZeroCount(quotes) : rest.IndexOf((byte)'"');
        if (length < 0)
        {
            return false;
        }

        field = new Field(at + 1, length, false);
        at += length + 2;
        return true;
    }

    /// <summary>A JSON number without exponent (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c>): its range, as the walk gives it.</summary>
    private static bool Number(ReadOnlySpan<byte> line, ref int at, out Field field)
    {
        field = default;
        var start = at;
        if (at < line.Length && line[at] == '-')
        {
            at++;
        }

        var digits = Digits(line, ref at);
        if (digits == 0 || (digits > 1 && line[at - digits] == '0'))
        {
            return false;
        }

        if (at < line.Length && line[at] == '.')
        {
            at++;
            if (Digits(line, ref at) == 0)
            {
                return false;
            }
        }

        // An exponent or anything else glued on is the walk's to judge; the caller wants ',' or '}' here.
        field = new Field(start, at - start, false);
        return true;
    }

    private static int Digits(ReadOnlySpan<byte> line, ref int at)
    {
        var start = at;
        while (at < line.Length && char.IsAsciiDigit((char)line[at]))
        {
            at++;
        }

        return at - start;
    }

    /// <summary>A list of strings, at most <see cref="MaxListed"/> (the walk reports more).</summary>
    private static bool List(ReadOnlySpan<byte> line, ref int at, Span<Field> fields, out int count)
    {
        count = 0;
        if (line[at++] != '[' || at >= line.Length)
        {
            return false;
        }

        if (line[at] == ']')
        {
            at++;
            return true;
        }

        while (count < fields.Length && String(line, ref at, out fields[count]))
        {
            count++;
            if (!Next(line, ref at, (byte)']', out var closed) || closed)
            {
                return closed;
            }
        }

        return false;
    }

    /// <summary>
    /// After an element or member: <paramref name="close"/> ends the list or object (<paramref name="closed"/>), or a
    /// comma with something after it leads to the next; anything else is not the common shape.
    /// </summary>
    private static bool Next(ReadOnlySpan<byte> line, ref int at, byte close, out bool closed)
    {
        closed = at < line.Length && line[at] == close;
        if (closed)
        {
            at++;
            return true;
        }

        return at < line.Length - 1 && line[at++] == ',';
    }

    /// <summary><c>value</c> as an object of <c>amount</c> (a number) and <c>currency</c> (a string), each at most once.</summary>
    private static bool Money(ReadOnlySpan<byte> line, ref int at, ref Ranges ranges, ref ShipmentFieldText text)
    {
        if (line[at++] != '{' || at >= line.Length)
        {
            return false;
        }

        while (String(line, ref at, out var member) && at < line.Length && line[at++] == ':' && at < line.Length)
        {
            var name = line.Slice(member.Start, member.Length);
            bool read;
            if (name.SequenceEqual("amount"u8) && !text.HasValueAmount)
            {
                read = text.HasValueAmount = Number(line, ref at, out ranges.ValueAmount);
            }
            else if (name.SequenceEqual("currency"u8) && !text.HasValueCurrency)
            {
                read = text.HasValueCurrency = String(line, ref at, out ranges.ValueCurrency);
            }
            else
            {
                return false;
            }

            if (!read || !Next(line, ref at, (byte)'}', out var closed))
            {
                return false;
            }

            if (closed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name given as a string; blank means not given, as in the walk.</summary>
    private static bool Name(ReadOnlySpan<byte> line, ref int at, out string? name)
    {
        name = null;
        if (!String(line, ref at, out var field))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(line.Slice(field.Start, field.Length));
        name = string.IsNullOrWhiteSpace(text) ? null : text;
        return true;
    }

    /// <summary><c>true</c> or <c>false</c>; a string or null is the walk's.</summary>
    private static bool Literal(ReadOnlySpan<byte> line, ref int at, out bool value)
    {
        value = line[at..].StartsWith("true"u8);
        if (value || line[at..].StartsWith("false"u8))
        {
            at += value ? 4 : 5;
            return true;
        }

        return false;
    }
}
