using System.Text;
using Clearance.Application;
using Clearance.Licensing;
using NodaTime;
using Xunit;

namespace Clearance.Application.Tests;

public class LicenseInputTests
{
    private static readonly Clearance.Model.ContentSet Content = ContentSetup.Evaluator().Content;

    private static LicenseLine One(string json) => LicenseInput.FromJson(json, 1, Content);

    [Fact]
    public void FromJson_FullRecord_ValidLicenseWithItsLastValidDay()
    {
        var line = One("""{"number":"L-1","jurisdiction":"jp","type":"Individual","holder":"Example Co.","items":["JP:7(19)"],"destinations":["KR","Japan"],"consignees":["Korea Semi Co."],"end_users":[],"valid_from":"2019-08-08","valid_to":"2020-08-07","quantity":{"amount":500,"unit":"kg"},"value":{"amount":90000000,"currency":"JPY"},"tolerance":0.05,"state":"granted"}""");

        var license = line.License!;
        Assert.Null(line.Error);
        Assert.Equal(("JP", "individual"), (license.Jurisdiction, license.Type));
        Assert.Equal(["KR", "JP"], license.Scope.Destinations.Select(d => d.Value));
        Assert.True(license.Validity.Contains(new LocalDate(2020, 8, 7)));
        Assert.False(license.Validity.Contains(new LocalDate(2020, 8, 8)));
        Assert.Equal(new LicenseLimit(500, "kg"), license.Quantity);
        Assert.Equal(0.05m, license.Tolerance);
    }

    [Theory]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","destinatons":["KR"]}""", "unknown field 'destinatons': did you mean 'destinations'?")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","quantity":{"amout":5,"unit":"kg"}}""", "unknown field 'quantity.amout': did you mean 'amount'?")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"bulk","holder":"H","valid_from":"2019-01-01"}""", "field 'type': 'bulk' is not a licence type of JP")]
    [InlineData("""{"number":"L","jurisdiction":"XX","type":"individual","holder":"H","valid_from":"2019-01-01"}""", "field 'jurisdiction': 'XX' is not a jurisdiction")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","items":["KR:3C002"]}""", "field 'items': 'KR:3C002' is not a JP classification")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","valid_to":"2018-12-31"}""", "field 'valid_to': 2018-12-31 is before valid_from")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","quantity":{"amount":-5,"unit":"kg"}}""", "field 'quantity': amount '-5' is not a positive number")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","value":{"amount":5,"currency":"yen"}}""", "currency 'yen' is not an ISO 4217 code")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","tolerance":2}""", "field 'tolerance': '2' is not a fraction")]
    [InlineData("""{"jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01"}""", "field 'number' is required")]
    [InlineData("""{"number":"L","jurisdiction":"JP","type":"individual","holder":"H","valid_from":"2019-01-01","destinations":["Narnia"]}""", "field 'destinations': 'Narnia' is not a country")]
    public void FromJson_BadRecord_ErrorNamesTheField(string json, string expected)
    {
        var line = One(json);
        Assert.Null(line.License);
        Assert.Contains(expected, line.Error!.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 1: ", line.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_SameNamesAsJson_SameLicense()
    {
        const string csv = "number,jurisdiction,type,holder,items,destinations,valid_from,valid_to,quantity_amount,quantity_unit\nL-1,JP,individual,Example Co.,JP:7(19);JP:3(1),KR,2019-08-08,2020-08-07,500,kg\n";
        var fromCsv = Assert.Single(LicenseInput.ReadCsv(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "l.csv", Content)).License!;
        var fromJson = One("""{"number":"L-1","jurisdiction":"JP","type":"individual","holder":"Example Co.","items":["JP:7(19)","JP:3(1)"],"destinations":["KR"],"valid_from":"2019-08-08","valid_to":"2020-08-07","quantity":{"amount":500,"unit":"kg"}}""").License!;

        Assert.Equal(fromJson.Scope.Items, fromCsv.Scope.Items);
        Assert.Equal(fromJson with { Scope = fromCsv.Scope }, fromCsv);
    }

    [Fact]
    public void ReadCsv_UnknownColumn_NamedWithTheNearest()
    {
        var e = Assert.Throws<CsvHeaderException>(() => LicenseInput.ReadCsv(new MemoryStream("numbr,jurisdiction\n"u8.ToArray()), "l.csv", Content).ToList());
        Assert.Contains("unknown column 'numbr': did you mean 'number'?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadJsonLines_BadLineBetweenGoodOnes_EachLineItsOwnResult()
    {
        const string jsonl = """
            {"number":"L-1","jurisdiction":"KR","type":"bulk","holder":"K","valid_from":"2020-01-01"}
            not json

            {"number":"L-3","jurisdiction":"KR","type":"individual","holder":"K","valid_from":"2020-01-01"}
            """;
        var lines = LicenseInput.ReadJsonLines(new MemoryStream(Encoding.UTF8.GetBytes(jsonl)), "l.jsonl", Content).ToList();

        Assert.Equal([1L, 2L, 4L], lines.Select(l => l.Line));
        Assert.Equal(["L-1", null, "L-3"], lines.Select(l => l.License?.Number));
        Assert.Equal("malformed-json", lines[1].Error!.Code);
    }
}
