using NodaTime;
using NodaTime.Text;
using Xunit;

namespace Clearance.Tests;

public class IsoTextTests
{
    private static IEnumerable<LocalDate> Dates()
    {
        // The edges of the digit-by-digit range and of NodaTime's, then random days (fixed seed).
        LocalDate[] edges =
        [
            new(1, 1, 1), new(9999, 12, 31), new(2019, 7, 4), new(2019, 7, 3), new(2000, 2, 29), new(10, 10, 10),
            new(999, 9, 9), new(0, 12, 31), new(-9998, 1, 1), new(-1, 6, 15),
        ];
        foreach (var date in edges)
            yield return date;
        var random = new Random(20190704);
        for (var i = 0; i < 5_000; i++)
            yield return new LocalDate(random.Next(-9998, 10_000), random.Next(1, 13), random.Next(1, 29));
    }

    [Fact]
    public void WriteDate_Utf8_AgreesWithTheIsoPattern()
    {
        Span<byte> text = stackalloc byte[IsoText.DateMaxLength];
        foreach (var date in Dates())
        {
            var length = IsoText.WriteDate(date, text);
            Assert.Equal(LocalDatePattern.Iso.Format(date), System.Text.Encoding.ASCII.GetString(text[..length]));
        }
    }

    [Fact]
    public void WriteDate_Chars_AgreesWithTheIsoPattern()
    {
        Span<char> text = stackalloc char[IsoText.DateMaxLength];
        foreach (var date in Dates())
        {
            var length = IsoText.WriteDate(date, text);
            Assert.Equal(LocalDatePattern.Iso.Format(date), text[..length].ToString());
        }
    }

    [Fact]
    public void WriteDate_YearBeforeOne_IsTheLongestText()
    {
        Span<char> text = stackalloc char[IsoText.DateMaxLength];
        Assert.Equal(IsoText.DateMaxLength, IsoText.WriteDate(new LocalDate(-9998, 1, 1), text));
        Assert.Equal("-9998-01-01", text.ToString());
    }

    [Fact]
    public void WriteDigits_ZeroPadsOnTheLeft()
    {
        Span<byte> text = stackalloc byte[4];
        IsoText.WriteDigits(text, 7);
        Assert.Equal("0007"u8.ToArray(), text.ToArray());
        IsoText.WriteDigits(text, 2019);
        Assert.Equal("2019"u8.ToArray(), text.ToArray());
    }
}
