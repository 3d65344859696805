using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>The content every front end evaluates with: the built-in rules, compiled, with the user's exchange rates.</summary>
public static class ContentSetup
{
    /// <summary>
    /// Compiles the built-in content. <paramref name="ratesPath"/> names a rates file (CSV <c>date,base,quote,rate</c>)
    /// used to compare values with limits in another currency; without it such values are never compared.
    /// </summary>
    /// <exception cref="FormatException">The rates file is invalid (the message names file, line and field) or unreadable.</exception>
    public static Evaluator Evaluator(string? ratesPath = null)
    {
        ExchangeRates? rates = null;
        if (ratesPath is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(ratesPath, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
            {
                throw new FormatException($"{ratesPath}: cannot read the rates file: {e.Message}", e);
            }

            rates = ExchangeRates.Parse(text, ratesPath);
        }

        return new Evaluator(ContentLoader.LoadBuiltIn(), rates);
    }
}
