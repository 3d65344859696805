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
public sealed class ContentOnDemand
{
    private readonly Lock _building = new();
    private readonly IReadOnlyList<(string Name, string Text)> _files;
    private readonly DeferredList<ContentFile> _contentFiles;
    private readonly Func<Evaluator, CheckService> _check;
    private readonly ExchangeRates? _rates;
    private readonly (string Version, ContentSnapshot? Snapshot) _kept;
    private CheckService? _whole;

    /// <summary>The content of <paramref name="files"/>, compiled as far as a caller needs it.</summary>
    /// <param name="files">The content files, as (name, text).</param>
    /// <param name="check">The check over an evaluator (with the screening every check of this caller shares).</param>
    /// <param name="rates">The exchange rates every evaluator converts values with, or null for none.</param>
    /// <param name="cache">The cache directory whose content snapshot (<see cref="ContentSnapshot"/>) keeps the files' validated
    /// model between runs, or null to parse and validate them in every process.</param>
    public ContentOnDemand(IReadOnlyList<(string Name, string Text)> files, Func<Evaluator, CheckService> check, ExchangeRates? rates = null, string? cache = null)
        : this(files, ContentLoader.Version(files), check, rates, cache)
    {
    }

    /// <summary>The content of <paramref name="files"/> (a <see cref="DeferredList{T}"/>: read when first needed), whose version id is <paramref name="version"/>.</summary>
    private ContentOnDemand(IReadOnlyList<(string Name, string Text)> files, string version, Func<Evaluator, CheckService> check, ExchangeRates? rates, string? cache)
    {
        _files = files;
        _contentFiles = new DeferredList<ContentFile>(() => [.. files.Select(f => new ContentFile(f.Name, f.Text))]);
        (_check, _rates) = (check, rates);
        _kept = (version, ContentSnapshot.For(cache, version));
    }

    /// <summary>
    /// The built-in content (<see cref="ContentSetup.Content"/> without overlays), each check through
    /// <paramref name="check"/>, its validated model kept in the user's cache directory (<see cref="ContentSnapshot.DefaultRoot"/>).
    /// Its version id is hashed from the files' bytes; their texts are decoded only when read: to compile content the
    /// snapshot does not keep, or for <see cref="Files"/>.
    /// </summary>
    /// <param name="check">The check over an evaluator.</param>
    /// <param name="rates">The exchange rates every evaluator converts values with, or null for none.</param>
    public static ContentOnDemand BuiltIn(Func<Evaluator, CheckService> check, ExchangeRates? rates = null)
    {
        var bytes = ContentLoader.BuiltInFileBytes();
        return new(new DeferredList<(string Name, string Text)>(() => ContentLoader.Decode(bytes)), ContentLoader.Version(bytes), check, rates, ContentSnapshot.DefaultRoot());
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

    /// <summary>The regime prefix of a classification ("JP" of "JP:3(1)"), or the whole text when it has none.</summary>
    private static string Prefix(string classification)
    {
        var colon = classification.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? classification[..colon] : classification;
    }
}
