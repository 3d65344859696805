using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// The built-in content, compiled only as far as a caller needs it: its version id at once (a hash of the files, no
/// parsing), the check of given shipments with only the jurisdictions that can govern them, or the check with every
/// jurisdiction. A recheck of Japanese exports needs Japan's rules, not the EAR's 1 MB generated Commerce Control List,
/// whose parsing and compiling was most of what a small recheck cost.
/// </summary>
/// <param name="files">The content files, as (name, text).</param>
/// <param name="check">The check over an evaluator (with the screening every check of this caller shares).</param>
public sealed class ContentOnDemand(IReadOnlyList<(string Name, string Text)> files, Func<Evaluator, CheckService> check)
{
    private readonly Lazy<CheckService> _whole = new(() => check(new Evaluator(ContentLoader.Load(files))));

    /// <summary>The built-in content (<see cref="ContentSetup.Content"/> without overlays), each check through <paramref name="check"/>.</summary>
    /// <param name="check">The check over an evaluator.</param>
    public static ContentOnDemand BuiltIn(Func<Evaluator, CheckService> check) => new(ContentLoader.BuiltInFiles(), check);

    /// <summary>The version id of the whole content, as <see cref="ContentSet.Version"/> gives it once loaded.</summary>
    public string Version { get; } = ContentLoader.Version(files);

    /// <summary>The check with every jurisdiction of the content, compiled on first use.</summary>
    public CheckService Whole => _whole.Value;

    /// <summary>
    /// A check with only the jurisdictions that can govern <paramref name="shipments"/> (by exporting country and
    /// classification; see <see cref="JurisdictionHead.MayGovern"/>): for each of them it answers as <see cref="Whole"/>
    /// does, under the same version id, except where a line is in error (its message lists the regimes loaded): check
    /// such a line again with <see cref="Whole"/>.
    /// </summary>
    /// <param name="shipments">The shipments to be checked.</param>
    public CheckService For(IReadOnlyCollection<Shipment> shipments)
    {
        ArgumentNullException.ThrowIfNull(shipments);
        if (_whole.IsValueCreated)
        {
            return _whole.Value;
        }

        var content = ContentLoader.LoadOnly(files, head => shipments.Any(s => head.MayGovern(s.From, s.Classifications.Select(Prefix))));
        return content.Jurisdictions.Count == 0 ? Whole : check(new Evaluator(content));
    }

    /// <summary>The regime prefix of a classification ("JP" of "JP:3(1)"), or the whole text when it has none.</summary>
    private static string Prefix(string classification)
    {
        var colon = classification.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? classification[..colon] : classification;
    }
}
