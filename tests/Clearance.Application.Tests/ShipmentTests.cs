using NodaTime;

namespace Clearance.Application.Tests;

/// <summary>
/// A shipment keeps the fields most lines leave out in one object of their own (null when all are left out): equality,
/// hashing, printing and <c>with</c> are those of the record's members, however a field was given or left out.
/// </summary>
public sealed class ShipmentTests
{
    private static Shipment Plain() => new(new ShipmentId("o-1", false), new LocalDate(2024, 6, 3), Clearance.Model.CountryCode.Parse("JP"), Clearance.Model.CountryCode.Parse("KR"),
        ["JP:3(1)"], Clearance.Model.EndUse.Civil, false, null, [], new Money(5, "JPY"), null, null);

    [Fact]
    public void Equals_RareFieldGivenThenLeftOut_EqualToNeverGiven()
    {
        var plain = Plain();
        var roundTrip = plain with { Order = "PO-1", Quantity = new Quantity(3, "kg") } with { Order = null, Quantity = null };

        Assert.Equal(plain, roundTrip);
        Assert.Equal(plain.GetHashCode(), roundTrip.GetHashCode());
        Assert.Equal(plain.ToString(), roundTrip.ToString());
    }

    [Fact]
    public void With_EachRareField_ReadBackAndOthersKept()
    {
        var plain = Plain();
        IReadOnlyDictionary<string, string> facts = new Dictionary<string, string> { ["x"] = "true" };
        IReadOnlyList<string> intermediates = ["Forwarder Co."];
        var full = plain with
        {
            Quantity = new Quantity(3, "kg"), EndUserDecision = EndUserDecision.Cleared, Facts = facts, Consignee = "Consignee Co.", Order = "PO-1", OrderLine = "2",
            Exporter = "Exporter Co.", License = "L-1", Customer = "Customer Co.", ConsigneeDecision = EndUserDecision.Confirmed, Purchaser = "Purchaser Co.", IntermediateConsignees = intermediates,
        };
        var viaConstructor = new Shipment(plain.Id, plain.Date, plain.From, plain.To, plain.Classifications, plain.EndUse, plain.Informed, plain.EndUser, plain.Held, plain.Value,
            new Quantity(3, "kg"), EndUserDecision.Cleared, facts, "Consignee Co.", "PO-1", "2", "Exporter Co.", "L-1", "Customer Co.", EndUserDecision.Confirmed, "Purchaser Co.", intermediates);

        Assert.Equal((new Quantity(3, "kg"), EndUserDecision.Cleared, facts, "Consignee Co.", "PO-1", "2"), (full.Quantity, full.EndUserDecision, full.Facts, full.Consignee, full.Order, full.OrderLine));
        Assert.Equal(("Exporter Co.", "L-1", "Customer Co.", EndUserDecision.Confirmed, "Purchaser Co.", intermediates), (full.Exporter, full.License, full.Customer, full.ConsigneeDecision, full.Purchaser, full.IntermediateConsignees));
        Assert.Equal(viaConstructor, full);
        Assert.Equal(viaConstructor.GetHashCode(), full.GetHashCode());
        Assert.NotEqual(plain, full);
        Assert.NotEqual(full, full with { License = "L-2" });
        Assert.Equal(plain with { Date = new LocalDate(2024, 6, 4) }, full with { Date = new LocalDate(2024, 6, 4), Quantity = null, EndUserDecision = null, Facts = null, Consignee = null, Order = null, OrderLine = null, Exporter = null, License = null, Customer = null, ConsigneeDecision = null, Purchaser = null, IntermediateConsignees = null });
        Assert.Contains("License = L-1", full.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_CompactlyHeldFields_GiveBackWhatWasGiven()
    {
        // The id, the countries and the value are held as text and kind, slots and amount and currency: each, default
        // values too, reads back as given, and equality and printing are the record's.
        var plain = Plain();
        var odd = plain with { Id = new ShipmentId("7", true), From = default, To = Clearance.Model.CountryCode.Parse("US"), Value = new Money(0.50m, null!) };
        var none = plain with { Id = null, Value = null };

        Assert.Equal((new ShipmentId("7", true), default(Clearance.Model.CountryCode), Clearance.Model.CountryCode.Parse("US"), new Money(0.50m, null!)), (odd.Id, odd.From, odd.To, odd.Value));
        Assert.Equal("0.50", odd.Value!.Value.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(default(ShipmentId), (plain with { Id = default(ShipmentId) }).Id);
        Assert.Null(none.Id);
        Assert.Null(none.Value);
        Assert.NotEqual(plain, none);
        Assert.Equal(plain, none with { Id = plain.Id, Value = plain.Value });
        Assert.Equal(plain.GetHashCode(), (none with { Id = plain.Id, Value = plain.Value }).GetHashCode());
        Assert.Equal(plain, odd with { Id = new ShipmentId("o-1", false), From = plain.From, To = plain.To, Value = new Money(5, "JPY") });
        var printed = plain.ToString();
        string[] order = ["Id = ShipmentId { Text = o-1, IsNumber = False }, Date = ", ", From = JP, To = KR, Classifications = ", ", Value = Money { Amount = 5, Currency = JPY }, Quantity = "];
        Assert.True(order.All(part => printed.Contains(part, StringComparison.Ordinal)), printed);
        Assert.True(order.Select(part => printed.IndexOf(part, StringComparison.Ordinal)).SequenceEqual(order.Select(part => printed.IndexOf(part, StringComparison.Ordinal)).Order()), printed);
    }
}
