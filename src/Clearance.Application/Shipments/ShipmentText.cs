namespace Clearance.Application;

/// <summary>
/// A shipment's fields as text, as command-line flags and CSV cells give them (and the reference JSON reader, once it
/// has checked the JSON types): validated by the same code as the fast JSON reader, so the errors are the same.
/// </summary>
/// <param name="Id">The id, when given.</param>
/// <param name="Date">YYYY-MM-DD.</param>
/// <param name="From">Exporting country.</param>
/// <param name="To">Destination country.</param>
/// <param name="Items">Classifications, <c>REGIME:code</c> each; null when not given.</param>
/// <param name="EndUse">civil, wmd, conventional-military or unknown.</param>
/// <param name="EndUser">End user name; blank counts as not given.</param>
/// <param name="Informed">Whether the authority informed the exporter.</param>
/// <param name="Held">Licence type ids held.</param>
/// <param name="ValueGiven">Whether a value was given at all (then amount and currency are both required).</param>
/// <param name="ValueAmount">Non-negative decimal.</param>
/// <param name="ValueCurrency">Three upper-case letters.</param>
/// <param name="QuantityGiven">Whether a quantity was given at all (then amount and unit are both required).</param>
/// <param name="QuantityAmount">Non-negative decimal.</param>
/// <param name="QuantityUnit">Letters and digits.</param>
/// <param name="EndUserDecision">confirmed or cleared.</param>
/// <param name="Facts">Declared facts, in the order given; null when none.</param>
/// <param name="Consignee">Consignee name; blank counts as not given.</param>
/// <param name="Order">Order id; blank counts as not given.</param>
/// <param name="OrderLine">Line within the order; blank counts as not given.</param>
/// <param name="Exporter">Exporter name; blank counts as not given.</param>
/// <param name="License">Licence number assigned by the user; blank counts as not given.</param>
/// <param name="Customer">The customer the order is for; blank counts as not given.</param>
/// <param name="ConsigneeDecision">confirmed or cleared.</param>
/// <param name="Purchaser">Purchaser name; blank counts as not given.</param>
/// <param name="IntermediateConsignees">Intermediate consignee names; blank names are dropped, none counts as not given.</param>
public sealed record ShipmentText(
    ShipmentId? Id,
    string? Date,
    string? From,
    string? To,
    IReadOnlyList<string>? Items,
    string? EndUse = null,
    string? EndUser = null,
    bool Informed = false,
    IReadOnlyList<string>? Held = null,
    bool ValueGiven = false,
    string? ValueAmount = null,
    string? ValueCurrency = null,
    bool QuantityGiven = false,
    string? QuantityAmount = null,
    string? QuantityUnit = null,
    string? EndUserDecision = null,
    IReadOnlyList<FactText>? Facts = null,
    string? Consignee = null,
    string? Order = null,
    string? OrderLine = null,
    string? Exporter = null,
    string? License = null,
    string? Customer = null,
    string? ConsigneeDecision = null,
    string? Purchaser = null,
    IReadOnlyList<string>? IntermediateConsignees = null)
{
    /// <summary>The shipment, or the first error in the contract's order, reported on <paramref name="line"/>.</summary>
    public ShipmentLine Validate(long line)
    {
        var text = new ShipmentFieldText
        {
            Id = Id,
            HasDate = Date is not null,
            Date = Date,
            HasFrom = From is not null,
            From = From,
            HasTo = To is not null,
            To = To,
            Items = Items,
            HasEndUse = EndUse is not null,
            EndUse = EndUse,
            EndUser = string.IsNullOrWhiteSpace(EndUser) ? null : EndUser,
            Consignee = string.IsNullOrWhiteSpace(Consignee) ? null : Consignee,
            Order = string.IsNullOrWhiteSpace(Order) ? null : Order,
            OrderLine = string.IsNullOrWhiteSpace(OrderLine) ? null : OrderLine,
            Exporter = string.IsNullOrWhiteSpace(Exporter) ? null : Exporter,
            License = string.IsNullOrWhiteSpace(License) ? null : License,
            Customer = string.IsNullOrWhiteSpace(Customer) ? null : Customer,
            Purchaser = string.IsNullOrWhiteSpace(Purchaser) ? null : Purchaser,
            IntermediateConsignees = ShipmentFields.GivenNames(IntermediateConsignees),
            HasConsigneeDecision = ConsigneeDecision is not null,
            ConsigneeDecision = ConsigneeDecision,
            Informed = Informed,
            Held = Held ?? [],
            HasValue = ValueGiven,
            HasValueAmount = ValueAmount is not null,
            ValueAmount = ValueAmount,
            HasValueCurrency = ValueCurrency is not null,
            ValueCurrency = ValueCurrency,
            HasQuantity = QuantityGiven,
            HasQuantityAmount = QuantityAmount is not null,
            QuantityAmount = QuantityAmount,
            HasQuantityUnit = QuantityUnit is not null,
            QuantityUnit = QuantityUnit,
            HasDecision = EndUserDecision is not null,
            Decision = EndUserDecision,
            Facts = Facts,
        };
        var error = ShipmentFields.Validate(line, text, out var shipment);
        return new ShipmentLine(line, Id, shipment, error);
    }
}
