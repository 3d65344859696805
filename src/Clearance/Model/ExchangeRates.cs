using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Model;

/// <summary>One dated exchange rate: from <paramref name="From"/> on, one <paramref name="Base"/> buys <paramref name="Rate"/> <paramref name="Quote"/>.</summary>
/// <param name="From">First day the rate applies; it applies until the next rate of the same pair.</param>
/// <param name="Base">ISO 4217 code of the currency priced.</param>
/// <param name="Quote">ISO 4217 code of the currency it is priced in.</param>
/// <param name="Rate">Units of <paramref name="Quote"/> per unit of <paramref name="Base"/>.</param>
public sealed record ExchangeRate(LocalDate From, string Base, string Quote, decimal Rate);

/// <summary>
/// Exchange rates the user supplies (a dated rates file), so that a value in yen can be compared with a limit in dollars.
/// The engine never guesses a rate: a value in another currency than a rule's bound, without a rate for the pair on the
/// date, leaves the rule undecided and names the missing rate.
/// </summary>
public sealed class ExchangeRates
{
    private readonly Dictionary<(string Base, string Quote), ExchangeRate[]> _byPair;

    /// <summary>Builds the table; rates of one pair are ordered by date.</summary>
    public ExchangeRates(IEnumerable<ExchangeRate> rates)
    {
        _byPair = rates.GroupBy(r => (r.Base, r.Quote)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.From).ToArray());
    }

    /// <summary>No rates: only amounts already in a rule's currency can be compared.</summary>
    public static ExchangeRates None { get; } = new([]);

    /// <summary>
    /// Converts <paramref name="amount"/> from <paramref name="from"/> into <paramref name="to"/> with the rate in force on
    /// <paramref name="date"/>: the pair as given, its inverse, or a cross rate through one common currency.
    /// </summary>
    public bool TryConvert(decimal amount, string from, string to, LocalDate date, out decimal converted)
    {
        if (from == to)
        {
            converted = amount;
            return true;
        }

        if (TryConvertDirect(amount, from, to, date, out converted))
        {
            return true;
        }

        foreach (var (pair, _) in _byPair)
        {
            var via = pair.Base == from ? pair.Quote : pair.Quote == from ? pair.Base : null;
            if (via is not null && via != to && TryConvertDirect(amount, from, via, date, out var between) && TryConvertDirect(between, via, to, date, out converted))
            {
                return true;
            }
        }

        converted = 0;
        return false;
    }

    // The inverse pair divides rather than multiplying by 1/rate: 540,000 JPY at 108 JPY per USD must be exactly 5,000 USD.
    private bool TryConvertDirect(decimal amount, string from, string to, LocalDate date, out decimal converted)
    {
        if (Find(from, to, date) is { } direct)
        {
            converted = amount * direct.Rate;
            return true;
        }

        if (Find(to, from, date) is { } inverse)
        {
            converted = amount / inverse.Rate;
            return true;
        }

        converted = 0;
        return false;
    }

    private ExchangeRate? Find(string from, string to, LocalDate date)
    {
        if (!_byPair.TryGetValue((from, to), out var rates))
        {
            return null;
        }

        // Binary search for the last rate that took effect on or before the date.
        int lo = 0, hi = rates.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (rates[mid].From <= date)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? null : rates[found];
    }

    /// <summary>
    /// Parses a rates file: CSV with the header <c>date,base,quote,rate</c> (e.g. <c>2019-07-01,USD,JPY,107.9</c>: from
    /// 1 July 2019 one dollar buys 107.9 yen). Errors name the file, line and field.
    /// </summary>
    /// <exception cref="FormatException">On the first invalid line.</exception>
    public static ExchangeRates Parse(string text, string file)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length == 0 || lines[0].Trim().TrimStart('\uFEFF') != "date,base,quote,rate")
        {
            throw new FormatException($"{file}:1: expected the header 'date,base,quote,rate'");
        }

        var rates = new List<ExchangeRate>();
        var seen = new HashSet<(LocalDate, string, string)>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(',');
            var at = $"{file}:{i + 1}";
            if (fields.Length != 4)
            {
                throw new FormatException($"{at}: expected 4 fields (date,base,quote,rate), found {fields.Length}");
            }

            var date = LocalDatePattern.Iso.Parse(fields[0].Trim());
            if (!date.Success)
            {
                throw new FormatException($"{at}: field 'date': '{fields[0]}' is not a date (YYYY-MM-DD)");
            }

            var @base = Currency(fields[1], "base", at);
            var quote = Currency(fields[2], "quote", at);
            if (!decimal.TryParse(fields[3].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || rate <= 0)
            {
                throw new FormatException($"{at}: field 'rate': '{fields[3]}' is not a positive decimal number");
            }

            if (@base == quote)
            {
                throw new FormatException($"{at}: field 'quote': the same currency as 'base'");
            }

            if (!seen.Add((date.Value, @base, quote)))
            {
                throw new FormatException($"{at}: a second {@base}/{quote} rate for {fields[0].Trim()}");
            }

            rates.Add(new ExchangeRate(date.Value, @base, quote, rate));
        }

        return new ExchangeRates(rates);
    }

    /// <summary>Whether <paramref name="code"/> has the form of an ISO 4217 code: three upper-case letters.</summary>
    public static bool IsCurrencyCode(string code) => code.Length == 3 && code.All(char.IsAsciiLetterUpper);

    private static string Currency(string field, string name, string at)
    {
        var code = field.Trim();
        return IsCurrencyCode(code) ? code : throw new FormatException($"{at}: field '{name}': '{field}' is not a currency code (three upper-case letters, ISO 4217)");
    }
}
