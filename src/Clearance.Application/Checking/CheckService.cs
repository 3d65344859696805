using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>The answer for one shipment.</summary>
/// <param name="Shipment">The shipment checked.</param>
/// <param name="Jurisdiction">The jurisdiction whose rules answered (chosen by the exporting country).</param>
/// <param name="ItemIndex">The classification evaluated, as its index in <see cref="Jurisdiction.Items"/>.</param>
/// <param name="Determination">The verdict, grounds, eligible licences and explanation.</param>
/// <param name="CoveredBy">The held licence that authorises the export, or null.</param>
/// <param name="EndUser">What screening the end user found.</param>
public sealed record CheckResult(Shipment Shipment, Jurisdiction Jurisdiction, int ItemIndex, Determination Determination, string? CoveredBy, EndUserResult EndUser)
{
    /// <summary>The control-list entry evaluated.</summary>
    public ControlEntry Item => Jurisdiction.Items[ItemIndex];
}

/// <summary>One input line checked: its result, or the error that stopped it.</summary>
/// <param name="Line">Line number in the input.</param>
/// <param name="Id">The shipment's id, when readable.</param>
/// <param name="Result">The result; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line has no result.</param>
public readonly record struct CheckedLine(long Line, ShipmentId? Id, CheckResult? Result, LineError? Error);

/// <summary>
/// Checks shipments: resolves the jurisdiction and the item, screens the end user, evaluates, and finds the held
/// licence that covers the export. Thread-safe; one per content and list database.
/// </summary>
public sealed class CheckService(Evaluator evaluator, EndUserScreening screening)
{
    /// <summary>The content the answers come from.</summary>
    public Evaluator Evaluator => evaluator;

    /// <summary>Checks one line read by any input; a line in error passes through.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public CheckedLine Check(ShipmentLine line)
    {
        if (line.Shipment is not { } shipment)
        {
            return new CheckedLine(line.Line, line.Id, null, line.Error);
        }

        if (evaluator.For(shipment.From) is not { } jurisdiction)
        {
            var available = string.Join(", ", evaluator.Content.Jurisdictions.Select(j => j.Id));
            return Failed(line, "unsupported-jurisdiction", $"line {line.Line}: field 'from': no regulatory content for exports from '{shipment.From}' (available: {available})");
        }

        if (!TryResolveItem(jurisdiction, shipment.Classifications, out var item))
        {
            var id = jurisdiction.Model.Id;
            var given = string.Join("', '", shipment.Classifications);
            return Failed(line, "unknown-item", $"line {line.Line}: field 'item': '{given}' is not an item of {id}'s control list (expected {id}:<code>, e.g. {Example(jurisdiction.Model)})");
        }

        var endUser = screening.Screen(jurisdiction.Model, shipment.EndUser, shipment.To, shipment.EndUserDecision);
        var determination = Evaluate(jurisdiction, item, shipment, endUser.Status);
        return new CheckedLine(line.Line, line.Id, new CheckResult(shipment, jurisdiction.Model, item, determination, CoveredBy(determination, shipment.Held), endUser), null);
    }

    /// <summary>
    /// The evaluation step, in one place: the facts of the shipment under the jurisdiction chosen by the exporting
    /// country, for the classification of that jurisdiction. (Evaluating every regime whose classification the
    /// shipment carries extends this step.)
    /// </summary>
    private static Determination Evaluate(CompiledJurisdiction jurisdiction, int item, Shipment shipment, EndUserStatus endUser) =>
        jurisdiction.Evaluate(new ShipmentFacts(shipment.Date, item, shipment.To, shipment.EndUse, shipment.Informed, endUser));

    /// <summary>The first held licence id, in the determination's order of eligible licences, that authorises the export.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static string? CoveredBy(Determination determination, IReadOnlyList<string> held)
    {
        ArgumentNullException.ThrowIfNull(determination);
        ArgumentNullException.ThrowIfNull(held);
        // Index loops: this runs per line, and an enumerator over an interface allocates.
        var eligible = determination.EligibleLicences;
        for (var e = 0; e < eligible.Count; e++)
        {
            var licence = eligible[e];
            for (var h = 0; h < held.Count; h++)
            {
                if (string.Equals(held[h], licence, StringComparison.Ordinal))
                {
                    return licence;
                }
            }
        }

        return null;
    }

    /// <summary>The first classification under the jurisdiction's regime (prefix = its id, either case) that names an item of its control list.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool TryResolveItem(CompiledJurisdiction jurisdiction, IReadOnlyList<string> classifications, out int item)
    {
        var id = jurisdiction.Model.Id;
        for (var i = 0; i < classifications.Count; i++)
        {
            var c = classifications[i];
            if (c.Length > id.Length + 1 && c[id.Length] == ':' && c.AsSpan(0, id.Length).Equals(id, StringComparison.OrdinalIgnoreCase)
                && jurisdiction.TryFindItem(c.AsSpan(id.Length + 1), out item))
            {
                return true;
            }
        }

        item = -1;
        return false;
    }

    private static CheckedLine Failed(ShipmentLine line, string code, string message) => new(line.Line, line.Id, null, new LineError(code, message));

    private static string Example(Jurisdiction j) => string.Join(", ", j.Items.Where(i => i.Parent is not null).Take(2).Select(i => $"{j.Id}:{i.Code}"));
}
