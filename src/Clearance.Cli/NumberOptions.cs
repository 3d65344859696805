using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Clearance.Cli;

/// <summary>
/// Numeric options parsed and checked by the option parser itself, so that a bad value ("abc", "NaN", "1e999")
/// is one line on standard error and exit code 2 before any work starts, never a crash or a silent no-op.
/// </summary>
public static class NumberOptions
{
    /// <summary>An optional score option: a finite number in [0, 1] (NaN would compare false with every score and report nothing).</summary>
    /// <param name="name">The option name, e.g. <c>--threshold</c>.</param>
    /// <param name="description">The help text.</param>
    public static Option<double?> Score(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                result.AddError($"{name}: '{Quoted(text)}' is not a number between 0 and 1");
                return null;
            }

            if (value is < 0 or > 1)
            {
                result.AddError(FormattableString.Invariant($"{name}: {value} is not between 0 and 1"));
                return null;
            }

            return value;
        },
    };

    /// <summary>A whole-number option with a default and a least value.</summary>
    /// <param name="name">The option name, e.g. <c>--limit</c>.</param>
    /// <param name="description">The help text.</param>
    /// <param name="defaultValue">The value when the option is not given.</param>
    /// <param name="least">The least value accepted.</param>
    public static Option<int> Count(string name, string description, int defaultValue, int least) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                result.AddError($"{name}: '{Quoted(text)}' is not a whole number");
                return defaultValue;
            }

            if (value < least)
            {
                result.AddError(FormattableString.Invariant($"{name}: must be at least {least}"));
                return defaultValue;
            }

            return value;
        },
    };

    /// <summary>At most 200 characters of a bad value, so an error stays one readable line.</summary>
    private static string Quoted(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
