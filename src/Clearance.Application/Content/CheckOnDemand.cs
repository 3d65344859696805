using Clearance.Content;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// The check of a stream of lines (<c>clearance check</c>) with the content compiled as the lines need it: the
/// jurisdictions that can govern the first chunk of lines (<see cref="Sized"/>), then more when a line comes that one
/// not loaded may govern. A batch of Japanese and Korean exports never parses the EAR's 1 MB generated Commerce
/// Control List, which was most of the start of every check. Each answer is the one the whole content gives, under the
/// same version id: a line can be governed only by a jurisdiction that <see cref="JurisdictionHead.MayGovern"/> it, and
/// those are loaded before it is checked; a line in error under part of the content is checked again with all of it
/// (its message names every regime, and the held licence ids are looked up in every regime), as the recheck does.
/// Thread-safe; loading more content takes a lock, checking does not.
/// </summary>
/// <param name="content">The content, compiled as far as the lines need it.</param>
public sealed class CheckOnDemand(ContentOnDemand content) : IShipmentCheck
{
    private readonly Lock _growing = new();
    private Loaded? _loaded;

    /// <summary>The jurisdictions compiled so far, in content order (all of them once the whole content is).</summary>
    public IReadOnlyList<string> LoadedJurisdictions => Volatile.Read(ref _loaded)?.Service.Evaluator.Content.Jurisdictions.Select(j => j.Id).ToList() ?? [];

    /// <summary>
    /// <paramref name="lines"/> as they are, the content first loaded for the jurisdictions their first chunk needs
    /// (<see cref="ReadAhead"/>'s first chunk, read on the caller's thread anyway): one load for a batch whose regimes
    /// all appear early, instead of one per regime met. An error of the input while reading that chunk reaches the
    /// consumer after the lines read before it.
    /// </summary>
    /// <param name="lines">The lines to be checked.</param>
    public IEnumerable<ShipmentLine> Sized(IEnumerable<ShipmentLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return SizedLines(lines);
    }

    private IEnumerable<ShipmentLine> SizedLines(IEnumerable<ShipmentLine> lines)
    {
        using var input = lines.GetEnumerator();
        var first = new ShipmentLine[ReadAhead.ChunkSize];
        var (count, ended, failure) = ReadAhead.Fill(input, first);
        var shipments = first.Take(count).Select(l => l.Shipment).OfType<Shipment>().ToList();
        if (shipments.Count > 0)
        {
            Load(shipments);
        }

        for (var i = 0; i < count; i++)
        {
            yield return first[i];
        }

        failure?.Throw();
        while (!ended && input.MoveNext())
        {
            yield return input.Current;
        }
    }

    /// <summary>Checks one line with the content it needs (loaded first if it is not yet); a line in error passes through.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public CheckedLine Check(ShipmentLine line)
    {
        if (line.Shipment is not { } shipment)
        {
            // What CheckService.Check answers for it, without loading anything.
            return new CheckedLine(line.Line, line.Id, null, line.Error);
        }

        var loaded = Volatile.Read(ref _loaded);
        if (loaded is null || !loaded.Covers(shipment))
        {
            loaded = Load([shipment]);
        }

        var answer = loaded.Service.Check(line);
        return answer.Result is null && !loaded.IsWhole ? content.Whole.Check(line) : answer;
    }

    /// <summary>The content loaded so far with the jurisdictions that may govern <paramref name="shipments"/> added.</summary>
    private Loaded Load(IReadOnlyList<Shipment> shipments)
    {
        lock (_growing)
        {
            var loaded = _loaded;
            if (loaded is not null && shipments.All(loaded.Covers))
            {
                return loaded;
            }

            if (content.IsWholeBuilt)
            {
                return Publish(new Loaded(content.Whole, true, []));
            }

            var before = loaded?.Ids ?? new HashSet<string>();
            var (service, heads) = content.Only(head => before.Contains(head.Id) || shipments.Any(s => head.MayGovern(s.From, Prefixes(s))));

            // The whole content when the choice was every jurisdiction, or none (the lines are in error then, and only the
            // whole content names every regime in the message).
            return service is null || (content.IsWholeBuilt && ReferenceEquals(service, content.Whole))
                ? Publish(new Loaded(content.Whole, true, []))
                : Publish(new Loaded(service, false, heads));
        }
    }

    private Loaded Publish(Loaded loaded)
    {
        Volatile.Write(ref _loaded, loaded);
        return loaded;
    }

    private static IEnumerable<string> Prefixes(Shipment shipment) => shipment.Classifications.Select(c => c.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? c[..colon] : c);

    /// <summary>A check over part (or all) of the content, and which lines it can answer as the whole content does.</summary>
    private sealed class Loaded
    {
        // Per exporting country (by index): whether every jurisdiction that may govern its exports is loaded. Read per
        // line, so computed once here for every country rather than asked of the heads.
        private readonly bool[] _exporterCovered;

        // The ids (classification prefixes) of the jurisdictions not loaded: a line classified under one needs it.
        private readonly string[] _notLoaded;

        public Loaded(CheckService service, bool whole, IReadOnlyList<JurisdictionHead> heads)
        {
            Service = service;
            IsWhole = whole;
            Ids = new HashSet<string>(service.Evaluator.Content.Jurisdictions.Select(j => j.Id), StringComparer.OrdinalIgnoreCase);
            _notLoaded = [.. heads.Where(h => !Ids.Contains(h.Id)).Select(h => h.Id)];
            _exporterCovered = [.. CountryCode.All.Select(c => whole || heads.All(h => Ids.Contains(h.Id) || !h.MayGovern(c, [])))];
        }

        public CheckService Service { get; }

        /// <summary>Whether this is the whole content (every line is answered by it).</summary>
        public bool IsWhole { get; }

        /// <summary>The ids of the jurisdictions loaded.</summary>
        public IReadOnlySet<string> Ids { get; }

        /// <summary>Whether every jurisdiction that may govern <paramref name="shipment"/> is loaded (by its exporter and classifications). Allocation-free.</summary>
        public bool Covers(Shipment shipment)
        {
            if (!_exporterCovered[shipment.From.Index])
            {
                return false;
            }

            if (_notLoaded.Length == 0)
            {
                return true;
            }

            var classifications = ListSpan.Of(shipment.Classifications);
            for (var c = 0; c < classifications.Length; c++)
            {
                var classification = classifications[c].AsSpan();
                var colon = classification.IndexOf(':');
                var prefix = colon > 0 ? classification[..colon] : classification;
                foreach (var id in _notLoaded)
                {
                    if (prefix.Equals(id, StringComparison.OrdinalIgnoreCase))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
