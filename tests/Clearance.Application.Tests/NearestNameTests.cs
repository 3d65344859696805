using System.Text;

namespace Clearance.Application.Tests;

public sealed class NearestNameTests
{
    [Theory]
    [InlineData("inform", "informed")]
    [InlineData("end_usr", "end_user")]
    [InlineData("Informed", "informed")]
    [InlineData("frm", "from")]
    [InlineData("consign", "consignee")]
    [InlineData("end_user_decison", "end_user_decision")]
    [InlineData("itme", "item")]
    [InlineData("order_no", "order")]
    public void Find_Misspelt_NearestField(string given, string expected) => Assert.Equal(expected, NearestName.Find(given, ShipmentFields.JsonFields));

    [Theory]
    [InlineData("invoice_number")]
    [InlineData("x")]
    [InlineData("")]
    public void Find_NothingNear_Null(string given) => Assert.Null(NearestName.Find(given, ShipmentFields.JsonFields));

    [Fact]
    public void DidYouMean_NearAndFar_SuffixOrNothing()
    {
        Assert.Equal(": did you mean 'individual'?", NearestName.DidYouMean("individul", ["individual", "bulk"]));
        Assert.Equal("", NearestName.DidYouMean("zzz", ["individual", "bulk"]));
    }

    [Fact]
    public void ReadCsv_ConsigneeInformedAsTypedAndHeldWithCommas_Read()
    {
        const string Csv = "id,date,from,to,item,consignee,informed,held,end_use\nc1,2024-01-01,Japan,CN,JP:16,Example Forwarding,Yes,\"individual, general-bulk\",WMD\nc2,2024-01-01,JP,CN,JP:16,,maybe,,\n";

        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), "orders.csv").ToList();

        var shipment = lines[0].Shipment!;
        Assert.Equal("Example Forwarding", shipment.Consignee);
        Assert.True(shipment.Informed);
        Assert.Equal(["individual", "general-bulk"], shipment.Held);
        Assert.Equal(Clearance.Model.EndUse.Wmd, shipment.EndUse);
        Assert.Equal("JP", shipment.From.Value);
        Assert.Equal("line 3: field 'informed': 'maybe' is not one of true, false, yes, no, 1, 0", lines[1].Error!.Message);
    }
}
