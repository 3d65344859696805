namespace Clearance.Store;

/// <summary>
/// A changed line's decision made in memory that asked nothing of the licences (<see cref="ShipmentStore.Recheck"/>): a
/// function of the line's stored state and its evaluation alone, so it is the decision of every line with the same state
/// and the same evaluation (a book's repeated lines share their evaluation: <c>Recheck.Run</c> checks each distinct
/// request once). Its event reason and audit record's inputs and outputs are made once, for the first line written.
/// </summary>
internal sealed class PlannedDecision(OpenShipment line, RecheckedLine evaluation, RecheckChange change)
{
    /// <summary>The evaluation it was made with.</summary>
    public RecheckedLine Evaluation { get; } = evaluation;

    /// <summary>The decision, for the line it was made for.</summary>
    public RecheckChange Change { get; } = change;

    /// <summary>The history event's reason, once made.</summary>
    public string? EventReason { get; set; }

    /// <summary>The audit record's inputs (the line's state before), once made.</summary>
    public string? AuditInputs { get; set; }

    /// <summary>The audit record's outputs (the line's state after, its new determination's own part), once made.</summary>
    public string? AuditOutputs { get; set; }

    /// <summary>The new determination cut into its own and shared parts (<see cref="ShipmentStore.Split"/>), once made.</summary>
    public DeterminationText? Determination { get; set; }

    /// <summary>Whether <paramref name="other"/> is stored as the line decided was: the state the decision depends on.</summary>
    public bool Fits(OpenShipment other) =>
        other.Status == line.Status && other.License == line.License && other.Demand == line.Demand && other.Reasons == line.Reasons;

    /// <summary>The decision for <paramref name="other"/>, a line that <see cref="Fits"/>.</summary>
    public RecheckChange For(OpenShipment other) =>
        new(other.Id, other.Status, other.License, other.Reasons, Change.Status, Change.License, Change.Reasons);
}

/// <summary>
/// The decisions in memory of a recheck's lines checked again, by evaluation (<see cref="PlannedDecision"/>): the 20
/// copies of a line in the bench's book are decided and described once, not 20 times over (each decision parses the
/// reasons, clones and writes them, twice a line: in memory and in the transaction). Forgotten after
/// <see cref="Kept"/> evaluations, as <c>Recheck.Run</c> forgets its checks.
/// </summary>
internal sealed class RecheckDecisions
{
    /// <summary>How many evaluations are kept before they are all forgotten.</summary>
    private const int Kept = 256;

    private readonly Dictionary<RecheckedLine, List<PlannedDecision>> _byEvaluation = new(ReferenceEqualityComparer.Instance);

    /// <summary>The decision made before for a line stored as <paramref name="line"/> with <paramref name="evaluation"/>, or null.</summary>
    public PlannedDecision? Find(OpenShipment line, RecheckedLine evaluation)
    {
        if (_byEvaluation.TryGetValue(evaluation, out var decisions))
        {
            foreach (var decision in decisions)
            {
                if (decision.Fits(line))
                    return decision;
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="decision"/> for the lines after it; only a checked-again line's evaluation is shared by other lines.</summary>
    public void Add(PlannedDecision decision)
    {
        if (decision.Evaluation.Determination is null)
            return; // a line's own evaluation (its stored reasons applied again): no other line has it
        if (!_byEvaluation.TryGetValue(decision.Evaluation, out var decisions))
        {
            if (_byEvaluation.Count >= Kept)
                _byEvaluation.Clear();
            _byEvaluation[decision.Evaluation] = decisions = [];
        }

        decisions.Add(decision);
    }
}
