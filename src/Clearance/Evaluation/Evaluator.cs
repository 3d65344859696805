using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>
/// Every jurisdiction of a content set, compiled, and the choice of the regimes that govern an export: those whose
/// exporting countries include the shipment's on its date (Japan for exports from Japan; the EU and a member state's
/// national measures for exports from that state), and those that reach items classified under them wherever they are
/// exported from (the EAR for US items).
/// </summary>
public sealed class Evaluator
{
    private readonly CompiledJurisdiction[] _jurisdictions;
    private readonly bool[]?[] _exportersByCountry; // [jurisdiction][country] when its exporters name no set (no date needed), else null

    /// <summary>Compiles every jurisdiction of <paramref name="content"/>; <paramref name="rates"/> convert values between currencies.</summary>
    /// <exception cref="ContentValidationException">When a jurisdiction could never govern an export (it would be skipped silently).</exception>
    public Evaluator(ContentSet content, ExchangeRates? rates = null)
    {
        Content = content;
        var unreachable = content.Jurisdictions.Where(j => j.ExporterSelector is null && !j.ReachesClassifiedItems).ToList();
        if (unreachable.Count > 0)
        {
            throw new ContentValidationException([.. unreachable.Select(j => new ContentError(j.Source.File, j.Source.Line, UnreachableMessage(j)))]);
        }

        _jurisdictions = [.. content.Jurisdictions.Select(j => CompiledJurisdiction.Compile(j, content.Version, rates))];
        // Exporters named by country alone hold on every date, so they are read from the model: asking the compiled
        // jurisdiction would build its tables, which are built only when a line needs them.
        _exportersByCountry = [.. _jurisdictions.Select(j => j.Model.ExporterSelector is { Sets.Count: 0, ExceptSets.Count: 0 }
            ? CountryCode.All.Select(c => ReferenceEvaluator.GovernsExportsFrom(j.Model, c, LocalDate.MinIsoValue)).ToArray()
            : null)];
    }

    /// <summary>The content compiled.</summary>
    public ContentSet Content { get; }

    /// <summary>The compiled jurisdictions, in content order; the indexes of <see cref="Governing"/> refer to it.</summary>
    public IReadOnlyList<CompiledJurisdiction> Jurisdictions => _jurisdictions;

    /// <summary>The message for a jurisdiction that names no exporting country and reaches no classified item.</summary>
    public static string UnreachableMessage(Jurisdiction j) =>
        $"jurisdiction '{j.Id}' would never be evaluated: its id is not a country code, so give 'exporters' (countries or sets) or 'reach: classified-items'";

    /// <summary>The index of the jurisdiction whose id (the classification prefix, e.g. "JP" of "JP:3(1)") is <paramref name="id"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<char> id)
    {
        // Runs per classification of every line. Regimes are few (tens even with the EU's member states) and their ids
        // two or three letters: a scan needs no case-insensitive hash of the span and no second index to keep.
        for (var i = 0; i < _jurisdictions.Length; i++)
        {
            if (id.Equals(_jurisdictions[i].Model.Id, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The regimes that govern an export from <paramref name="exporter"/> on <paramref name="date"/> of a line carrying
    /// classifications under the jurisdictions <paramref name="classified"/> (indexes): written to
    /// <paramref name="regimes"/> in content order, without repeats; returns how many. Allocation-free.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public int Governing(CountryCode exporter, LocalDate date, ReadOnlySpan<int> classified, Span<int> regimes)
    {
        var count = 0;
        for (var i = 0; i < _jurisdictions.Length; i++)
        {
            var j = _jurisdictions[i];
            var byExporter = _exportersByCountry[i] is { } fixedExporters ? fixedExporters[exporter.Index] : j.GovernsExportsFrom(exporter, date);
            if (byExporter || (j.Model.ReachesClassifiedItems && classified.Contains(i)))
            {
                regimes[count++] = i;
            }
        }

        return count;
    }
}
