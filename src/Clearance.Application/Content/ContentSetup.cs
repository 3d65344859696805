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
    /// <param name="ratesPath">The rates file, or null.</param>
    /// <param name="knownAsOf">When given, the rules as they were known on that day (<see cref="ContentSet.AsKnownOn"/>).</param>
    /// <param name="overlays">Overlay files of proposed changes applied to the content (see <see cref="Content"/>).</param>
    /// <exception cref="ContentValidationException">An overlay is invalid (each error names file and line).</exception>
    public static Evaluator Evaluator(string? ratesPath = null, NodaTime.LocalDate? knownAsOf = null, IReadOnlyList<string>? overlays = null) =>
        new(Content(knownAsOf, overlays), Rates(ratesPath));

    /// <summary>
    /// The built-in content with the overlay files <paramref name="overlays"/> applied in order (proposed changes,
    /// <see cref="OverlayLoader"/>), then, with <paramref name="knownAsOf"/>, as it was known on that day: an overlay's
    /// changes become known on the day its header says.
    /// </summary>
    /// <exception cref="ContentValidationException">An overlay is invalid (each error names file and line).</exception>
    public static ContentSet Content(NodaTime.LocalDate? knownAsOf = null, IReadOnlyList<string>? overlays = null)
    {
        var content = OverlayLoader.ApplyFiles(ContentLoader.LoadBuiltIn(), overlays ?? []);
        return knownAsOf is { } day ? content.AsKnownOn(day) : content;
    }

    /// <summary>The exchange rates of the file <paramref name="ratesPath"/> (CSV <c>date,base,quote,rate</c>), or null without one.</summary>
    /// <exception cref="FormatException">The rates file is invalid (the message names file, line and field) or unreadable.</exception>
    public static ExchangeRates? Rates(string? ratesPath)
    {
        if (ratesPath is null)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(ratesPath, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            throw new FormatException($"{ratesPath}: cannot read the rates file: {e.Message}", e);
        }

        return ExchangeRates.Parse(text, ratesPath);
    }
}
