namespace Clearance.Browser.Tests;

/// <summary>Shipment lines as an ERP submits them (the `shipments submit` contract), July 2019, Japan as exporter.</summary>
internal static class OrderBook
{
    /// <summary>One line of civil goods (both parties screened): its id is ORDER/LINE; <paramref name="kilograms"/> only where the item is counted by weight.</summary>
    public static string Line(string id, string exporter, string date, string to, string item, string endUser, string consignee, int? kilograms = null)
    {
        var parts = id.Split('/');
        var quantity = kilograms is { } kg ? $$""","quantity":{"amount":{{kg}},"unit":"kg"}""" : "";
        return $$"""{"id":"{{id}}","order":"{{parts[0]}}","line":{{parts[1]}},"exporter":"{{exporter}}","date":"{{date}}","from":"JP","to":"{{to}}","item":"{{item}}","end_use":"civil","end_user":"{{endUser}}","consignee":"{{consignee}}"{{quantity}}}""";
    }
}
