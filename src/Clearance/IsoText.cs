using System.Numerics;
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
    /// <typeparam name="T">byte for UTF-8, char for UTF-16 (the text is ASCII).</typeparam>
    public static int WriteDate<T>(LocalDate date, Span<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (date.Year is < 1 or > 9999)
        {
            return WriteAscii(LocalDatePattern.Iso.Format(date), text);
        }

        WriteDigits(text[..4], date.Year);
        text[4] = T.CreateTruncating('-');
        WriteDigits(text.Slice(5, 2), date.Month);
        text[7] = T.CreateTruncating('-');
        WriteDigits(text.Slice(8, 2), date.Day);
        return 10;
    }

    /// <summary><paramref name="value"/> (not negative) in decimal ASCII digits, zero-padded on the left to fill <paramref name="text"/>.</summary>
    /// <typeparam name="T">byte for UTF-8, char for UTF-16.</typeparam>
    public static void WriteDigits<T>(Span<T> text, int value)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = T.CreateTruncating('0' + (value % 10));
            value /= 10;
        }
    }

    private static int WriteAscii<T>(string ascii, Span<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = 0; i < ascii.Length; i++)
        {
            text[i] = T.CreateTruncating(ascii[i]);
        }

        return ascii.Length;
    }
}
