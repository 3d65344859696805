using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// The built-in content, compiled only as far as a caller needs it: its version id at once (a hash of the files, no
/// parsing; for the built-in files, the id the cache keeps for the build), the check of given shipments with only the
/// jurisdictions that can govern them, or the check with every jurisdiction. A recheck of Japanese exports needs Japan's
/// rules, not the EAR's 1 MB generated Commerce Control List, whose parsing and compiling was most of what a small
/// recheck cost.
/// </summary>
public sealed class ContentOnDemand
{
    private readonly Lock _building = new();
    private readonly IReadOnlyList<(string Name, string Text)> _files;
    private readonly Func<Evaluator, CheckService> _check;
    private readonly ExchangeRates? _rates;
    private readonly (string Version, ContentSnapshot? Snapshot) _kept;
    private readonly DeferredList<ContentFile> _contentFiles;
    private CheckService? _whole;

    /// <summary>Content <paramref name="files"/>, whose version id is computed from them.</summary>
    /// <param name="files">The content files, as (name, text).</param>
    /// <param name="check">The check over an evaluator (with the screening every check of this caller shares).</param>
    /// <param name="rates">The exchange rates every evaluator converts values with, or null for none.</param>
    /// <param name="cache">The cache directory whose content snapshot (<see cref="ContentSnapshot"/>) keeps the files' validated
    /// model between runs, or null to parse and validate them in every process.</param>
    public ContentOnDemand(IReadOnlyList<(string Name, string Text)> files, Func<Evaluator, CheckService> check, ExchangeRates? rates = null, string? cache = null)
        : this(files, check, rates, Kept(files, cache))
    {
    }

    private ContentOnDemand(IReadOnlyList<(string Name, string Text)> files, Func<Evaluator, CheckService> check, ExchangeRates? rates, (string Version, ContentSnapshot? Snapshot) kept)
    {
        _files = files;
        _check = check;
        _rates = rates;
        _kept = kept;
        // Made when first read (a submit archives them): a check never reads the files' text when the cache serves it.
        _contentFiles = ContentLoader.Contents(files);
    }

    /// <summary>
    /// The built-in content (<see cref="ContentSetup.Content"/> without overlays), each check through
    /// <paramref name="check"/>, its version id and validated model kept in the user's cache directory
    /// (<see cref="ContentSnapshot.DefaultRoot"/>): a run served by the cache reads none of the files' text.
    /// </summary>
    /// <param name="check">The check over an evaluator.</param>
    /// <param name="rates">The exchange rates every evaluator converts values with, or null for none.</param>
    public static ContentOnDemand BuiltIn(Func<Evaluator, CheckService> check, ExchangeRates? rates = null)
    {
        var root = ContentSnapshot.DefaultRoot();
        var version = ContentSnapshot.BuiltInVersion(root);
        return new(ContentLoader.BuiltInFiles(), check, rates, (version, ContentSnapshot.For(root, version)));
    }

    /// <summary>The version id of the whole content, as <see cref="ContentSet.Version"/> gives it once loaded.</summary>
    public string Version => _kept.Version;

    /// <summary>The content files, as <see cref="ContentSet.Files"/> holds them once loaded (for <c>ContentArchive.Keep</c>).</summary>
    public IReadOnlyList<ContentFile> Files => _contentFiles;

    /// <summary>The check with every jurisdiction of the content, compiled on first use.</summary>
    public CheckService Whole => Volatile.Read(ref _whole) ?? BuildWhole();

    /// <summary>Whether <see cref="Whole"/> has been compiled (asked for, or a load chose every jurisdiction).</summary>
    internal bool IsWholeBuilt => Volatile.Read(ref _whole) is not null;

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
        if (IsWholeBuilt)
        {
            return Whole;
        }

        var (service, _) = Only(head => shipments.Any(s => head.MayGovern(s.From, s.Classifications.Select(Prefix))));
        return service ?? Whole;
    }

    /// <summary>
    /// A check of the jurisdictions <paramref name="include"/> chooses by their heads, and the heads of every
    /// jurisdiction of the content in content order (each seen once by the choice); null when it chooses none. A choice
    /// of every jurisdiction is the whole content (the same files loaded the same way) and becomes <see cref="Whole"/>.
    /// </summary>
    internal (CheckService? Service, IReadOnlyList<JurisdictionHead> Heads) Only(Func<JurisdictionHead, bool> include)
    {
        var heads = new List<JurisdictionHead>();
        var chosen = 0;
        var content = ContentLoader.LoadOnly(_files, head =>
        {
            heads.Add(head);
            var choose = include(head);
            chosen += choose ? 1 : 0;
            return choose;
        }, _kept.Snapshot);
        if (content.Jurisdictions.Count == 0)
        {
            return (null, heads);
        }

        var service = _check(new Evaluator(content, _rates));
        if (chosen == heads.Count && content.Jurisdictions.Count == heads.Count)
        {
            lock (_building)
            {
                _whole ??= service;
                return (_whole, heads);
            }
        }

        return (service, heads);
    }

    private CheckService BuildWhole()
    {
        lock (_building)
        {
            return _whole ??= _check(new Evaluator(ContentLoader.Load(_files, _kept.Snapshot), _rates));
        }
    }

    /// <summary>The version id of <paramref name="files"/> and their snapshot in <paramref name="cache"/> (none without a cache).</summary>
    private static (string, ContentSnapshot?) Kept(IReadOnlyList<(string Name, string Text)> files, string? cache)
    {
        var version = ContentLoader.Version(files);
        return (version, ContentSnapshot.For(cache, version));
    }

    /// <summary>The regime prefix of a classification ("JP" of "JP:3(1)"), or the whole text when it has none.</summary>
    private static string Prefix(string classification)
    {
        var colon = classification.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? classification[..colon] : classification;
    }
}
