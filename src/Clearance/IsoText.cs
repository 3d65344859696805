using System.Runtime.CompilerServices;
using NodaTime;
using NodaTime.Text;

namespace Clearance;

/// <summary>
/// ISO 8601 text written digit by digit into a span of UTF-8 bytes or of chars, for the writers that format a date or an
/// instant per line (a check's <c>as_of</c>, a submit's request and demand, an audit record's time), where NodaTime's
/// patterns build a StringBuilder, its buffer and a string each time. NodaTime's patterns are the reference: for years
/// outside 1 to 9999 (a sign, or five digits) the text is theirs.
/// </summary>
public static class IsoText
{
    /// <summary>The longest text <see cref="WriteDate{T}"/> writes: <see cref="LocalDatePattern.Iso"/> of a year before 1 ("-9998-01-01").</summary>
    public const int DateMaxLength = 11;

    /// <summary>
    /// Writes <paramref name="date"/> as <see cref="LocalDatePattern.Iso"/> gives it (<c>uuuu-MM-dd</c>) into the start of
    /// <paramref name="text"/> (at least <see cref="DateMaxLength"/> long, or 10 for the years 1 to 9999) and returns the
    /// length written.
    /// </summary>
    /// <typeparam name="T">byte for UTF-8, char for UTF-16 (the text is ASCII); any other type throws NotSupportedException.</typeparam>
    public static int WriteDate<T>(LocalDate date, Span<T> text)
        where T : unmanaged
    {
        if (date.Year is < 1 or > 9999)
        {
            return WriteAscii(LocalDatePattern.Iso.Format(date), text);
        }

        WriteDigits(text[..4], date.Year);
        text[4] = Ascii<T>('-');
        WriteDigits(text.Slice(5, 2), date.Month);
        text[7] = Ascii<T>('-');
        WriteDigits(text.Slice(8, 2), date.Day);
        return 10;
    }

    /// <summary><paramref name="value"/> (not negative) in decimal ASCII digits, zero-padded on the left to fill <paramref name="text"/>.</summary>
    /// <typeparam name="T">byte for UTF-8, char for UTF-16.</typeparam>
    public static void WriteDigits<T>(Span<T> text, int value)
        where T : unmanaged
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = Ascii<T>('0' + (value % 10));
            value /= 10;
        }
    }

    private static int WriteAscii<T>(string ascii, Span<T> text)
        where T : unmanaged
    {
        for (var i = 0; i < ascii.Length; i++)
        {
            text[i] = Ascii<T>(ascii[i]);
        }

        return ascii.Length;
    }

    /// <summary>
    /// An ASCII character as a byte or a char. Tests of the type, which the compiler folds for each instantiation, rather
    /// than a static abstract member (<c>T.CreateTruncating</c>, as before): ReadyToRun does not precompile a method that
    /// calls one, so every process that wrote a date compiled these methods first (docs/benchmarks.md, recheck-cold23).
    /// </summary>
    private static T Ascii<T>(int ascii)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            var b = (byte)ascii;
            return Unsafe.As<byte, T>(ref b);
        }

        if (typeof(T) == typeof(char))
        {
            var c = (char)ascii;
            return Unsafe.As<char, T>(ref c);
        }

        throw new NotSupportedException($"ISO text is written as bytes (UTF-8) or chars (UTF-16), not as {typeof(T).Name}.");
    }
}
