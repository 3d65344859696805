using System.Text;

namespace Clearance.Application.Tests;

/// <summary>The fast reader against the plain one: the same shipment or the same error, line for line.</summary>
public sealed class ReferenceJsonLineReaderTests
{
    private static readonly string[] Countries = ["JP", "KR", "CN", "US", "DE", "jp", "kr", "Japan", "south korea", "XX", "J", "JPN", "Japn", "Narnia"];
    private static readonly string[] Items = ["JP:3(1)", "JP:7(19)", "US:3B993", "KR:3C002", "jp:16", "JP:3\\u0028\\u0031\\u0029", "JP:99", "3(1)", "JP:", "J\\u0050:7", "JP: 3"];
    private static readonly string[] EndUses = ["civil", "wmd", "conventional-military", "\\u0063ivil", "unknown", "Civil", "WMD", "peaceful"];
    // Valid first: booleans, strings (escaped too), amounts; then wrong types, bad amounts, empty ids, not-amount objects.
    private static readonly string[] FactMembers =
    [
        "\"military_end_user\":true", "\"military_end_user\":false", "\"sector\":\"energy\"", "\"sector\":\"\\u0065nergy\"",
        "\"power\":{\"amount\":1500,\"unit\":\"W\"}", "\"power\":{\"unit\":\"kW\",\"amount\":0.5}", "\"s\\u0065ctor\":\"K\\u00f6ln\"",
        "\"power\":7", "\"power\":[1]", "\"power\":null", "\"power\":{\"amount\":\"1\",\"unit\":\"W\"}", "\"power\":{\"amount\":1,\"unit\":2}",
        "\"power\":{\"amount\":-1,\"unit\":\"W\"}", "\"power\":{\"amount\":1}", "\"power\":{\"unit\":\"W\"}", "\"power\":{\"amount\":1,\"unit\":\"k W\"}",
        "\"power\":{\"amount\":1,\"unit\":\"W\",\"note\":1}", "\"\":true", "\"x\":\"\\ud800\"",
    ];

    private static readonly string[] Names = ["Example Co., Ltd.", "K\\u00f6ln GmbH", "Caf\\u00e9 \\\"X\\\"", "  ", "北京航空航天大学"];

    /// <summary>
    /// A shipment line with each field present or not, valid or not, escaped or not; <paramref name="common"/>: only
    /// the fields the hand reader knows (JsonLineReader.ByHand.cs), so that most lines are its and not the walk's.
    /// </summary>
    private static string Generate(Random random, bool common = false)
    {
        T Pick<T>(T[] values) => values[random.Next(values.Length)];

        // Mostly valid, so that both shipments and errors are common: the first values of each list are valid.
        string Valid(string[] values, int valid) => random.Next(10) < 9 ? values[random.Next(valid)] : Pick(values);
        var fields = new List<string>();
        void Maybe(int percent, string field)
        {
            if (random.Next(100) < percent)
            {
                fields.Add(field);
            }
        }

        Maybe(80, random.Next(4) == 0 ? $"\"id\":{random.Next(100000)}" : $"\"id\":\"o-{random.Next(1000)}\"");
        Maybe(98, $"\"date\":\"{Valid(["2019-07-04", "2024-01-01", "2020-02-29", "2019-02-29", "2019-7-4", "K\\u00f6ln"], 3)}\"");
        Maybe(98, $"\"from\":\"{Valid(Countries, 9)}\"");
        Maybe(98, $"\"to\":\"{Valid(Countries, 9)}\"");
        Maybe(98, random.Next(3) == 0 ? $"\"item\":[{string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => $"\"{Valid(Items, 6)}\""))}]" : $"\"item\":\"{Valid(Items, 6)}\"");
        Maybe(50, $"\"end_use\":\"{Valid(EndUses, 7)}\"");
        Maybe(30, $"\"end_user\":\"{Pick(Names)}\"");
        Maybe(20, $"\"consignee\":{Pick(["\"Example Forwarding\"", "null", "\"  \"", "7", "\"K\\u00f6ln AG\""])}");
        Maybe(30, $"\"informed\":{Pick(["true", "false", "null", "\"yes\"", "\"No\"", "\"1\"", "\"0\"", "\"TRUE\"", "\"n\\u006f\"", "\"maybe\"", "\"a very long informed value\"", "1", "[]"])}");
        Maybe(30, $"\"held\":[{string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => $"\"{Pick(["general-bulk", "individual", "specific-bulk"])}\""))}]");
        Maybe(30, $"\"value\":{{\"amount\":{Valid(["1200.50", "0", "5000000", "-1", "1e3", "12.", "79228162514264337593543950336"], 3)},\"currency\":\"{Valid(["USD", "JPY", "usd", "US", "EURO"], 2)}\"}}");
        if (common)
        {
            Maybe(5, $"\"date\":\"{Pick(["2020-01-01", "bad"])}\""); // duplicates: the last wins
            return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
        }

        Maybe(20, $"\"quantity\":{{\"amount\":{Valid(["5", "0.25", "-2"], 2)},\"unit\":\"{Valid(["kg", "pcs", "m2", "", "k g"], 3)}\"}}");
        Maybe(20, $"\"end_user_decision\":\"{Valid(["confirmed", "cleared", "maybe"], 2)}\"");
        Maybe(20, random.Next(10) == 0 ? $"\"facts\":{Pick(["null", "[]", "\"x\"", "{}"])}"
            : $"\"facts\":{{{string.Join(",", Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Valid(FactMembers, 7)))}}}");
        // Misspelt and foreign fields, top level and nested: errors naming the nearest field.
        Maybe(15, $"\"order\":{Pick(["\"PO-1\"", "17", "null", "\" \"", "{\"no\":7}", "\"K\\u00f6ln\""])}");
        Maybe(15, $"\"line\":{Pick(["10", "\"10\"", "1.5", "null", "[1,2]"])}");
        Maybe(15, $"\"exporter\":{Pick(["\"Example Chemicals KK\"", "null", "7", "\"\""])}");
        Maybe(15, $"\"license\":{Pick(["\"L-1\"", "null", "1", "\"L-\\u0032\""])}");
        // The other parties to the transaction and the consignee's decision (the walk reads them; the hand reader never).
        Maybe(8, $"\"purchaser\":{Pick(["\"Example Buyer\"", "null", "\" \"", "7", "\"K\\u00f6ln Kauf\""])}");
        Maybe(8, $"\"intermediate_consignees\":{Pick(["[\"Example Forwarding\",\"Transit Co\"]", "[\"K\\u00f6ln Spedition\"]", "[]", "null", "\"Transit Co\"", "[\"X\",7]", "[\" \",\"Y\"]", "{}"])}");
        Maybe(8, $"\"consignee_decision\":{Pick(["\"confirmed\"", "\"Cleared\"", "null", "\"maybe\"", "1"])}");
        Maybe(5, Pick(["\"orders\":{\"no\":7,\"lines\":[1,2]}", "\"inform\":true", "\"end_usr\":\"X\"", "\"Informed\":true", "\"n\\u006fte\":1",
            "\"value\":{\"amout\":1,\"currency\":\"USD\"}", "\"quantity\":{\"amount\":1,\"units\":\"kg\"}"]));
        Maybe(5, $"\"date\":\"{Pick(["2020-01-01", "bad"])}\""); // duplicates: the last wins
        return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
    }

    /// <summary>Damage: a byte replaced, the line cut, a byte doubled, a high byte, a value of the wrong type.</summary>
    private static byte[] Mutate(byte[] line, Random random)
    {
        var position = random.Next(line.Length);
        switch (random.Next(6))
        {
            case 0:
                line = (byte[])line.Clone();
                line[position] = (byte)random.Next(32, 127);
                return line;
            case 1:
                return line[..position];
            case 2:
                return [.. line[..position], line[position], .. line[position..]];
            case 3:
                line = (byte[])line.Clone();
                line[position] = (byte)random.Next(128, 256);
                return line;
            case 4:
                var text = Encoding.UTF8.GetString(line);
                var colon = text.IndexOf("\":\"", StringComparison.Ordinal);
                return colon < 0 ? line : Encoding.UTF8.GetBytes(text[..(colon + 2)] + (random.Next(2) == 0 ? "42," : "[\"x\"],") + text[(colon + 2)..].Split(',', 2).ElementAtOrDefault(1));
            default:
                return [.. line, .. " {}"u8];
        }
    }

    internal static string Describe(ShipmentLine line) => line.Shipment is { } s
        ? $"id={line.Id} date={s.Date} from={s.From} to={s.To} items=[{string.Join("|", s.Classifications)}] end_use={s.EndUse} informed={s.Informed} "
          + $"end_user={s.EndUser} consignee={s.Consignee} held=[{string.Join("|", s.Held)}] value={s.Value} quantity={s.Quantity} decision={s.EndUserDecision} "
          + $"consignee_decision={s.ConsigneeDecision} purchaser={s.Purchaser} intermediate=[{string.Join("|", s.IntermediateConsignees ?? [])}] "
          + $"order={s.Order} line={s.OrderLine} exporter={s.Exporter} license={s.License} "
          + $"facts={(s.Facts is null ? "none" : string.Join("|", s.Facts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")))}"
        : $"id={line.Id} error={line.Error!.Code}: {line.Error.Message}";

    /// <summary>30,000 generated lines, every second one mutated, each read by both readers to the same description.</summary>
    private static IEnumerable<(byte[] Line, ShipmentLine Expected)> Agreeing(JsonLineReader fast, Random random, bool common)
    {
        for (var i = 1; i <= 30000; i++)
        {
            var line = Encoding.UTF8.GetBytes(Generate(random, common));
            if (i % 2 == 0)
            {
                line = Mutate(line, random);
            }

            var expected = ReferenceJsonLineReader.Read(line, i);
            var actual = fast.Read(line, i);
            Assert.True(Describe(expected) == Describe(actual), $"line {i}: {Encoding.UTF8.GetString(line)}\nreference: {Describe(expected)}\nfast:      {Describe(actual)}");
            yield return (line, expected);
        }
    }

    [Fact]
    public void Read_GeneratedAndMutatedCommonLines_SameShipmentOrSameError()
    {
        // The lines the hand reader takes, whole and damaged: it must refuse what it does not fully recognise, and
        // what it reads must be read as the reference reads it.
        var random = new Random(20261203);
        var fast = new JsonLineReader();
        int shipments = 0, errors = 0;
        foreach (var (_, expected) in Agreeing(fast, random, common: true))
        {
            shipments += expected.Shipment is null ? 0 : 1;
            errors += expected.Error is null ? 0 : 1;
        }

        Assert.True(shipments > 2000 && errors > 2000, $"{shipments} shipments, {errors} errors");
        Assert.True(fast.LinesReadByHand > 5000, $"{fast.LinesReadByHand} of 30,000 lines read by hand");
    }

    [Fact]
    public void Read_GeneratedAndMutatedLines_SameShipmentOrSameError()
    {
        var random = new Random(20260601);
        var fast = new JsonLineReader();
        int shipments = 0, errors = 0, withFacts = 0, factErrors = 0, unknownFields = 0, stringInformed = 0, consignees = 0, otherParties = 0, partyErrors = 0;
        foreach (var (line, expected) in Agreeing(fast, random, common: false))
        {
            shipments += expected.Shipment is null ? 0 : 1;
            errors += expected.Error is null ? 0 : 1;
            withFacts += expected.Shipment?.Facts is null ? 0 : 1;
            factErrors += expected.Error?.Message.Contains("field 'facts", StringComparison.Ordinal) == true ? 1 : 0;
            unknownFields += expected.Error?.Code == "unknown-field" ? 1 : 0;
            stringInformed += Encoding.UTF8.GetString(line).Contains("\"informed\":\"", StringComparison.Ordinal) ? 1 : 0;
            consignees += expected.Shipment?.Consignee is null ? 0 : 1;
            otherParties += expected.Shipment is { } s && (s.Purchaser is not null || s.IntermediateConsignees is not null || s.ConsigneeDecision is not null) ? 1 : 0;
            partyErrors += expected.Error?.Message is { } m && (m.Contains("'purchaser'", StringComparison.Ordinal) || m.Contains("'intermediate_consignees'", StringComparison.Ordinal) || m.Contains("'consignee_decision'", StringComparison.Ordinal)) ? 1 : 0;
        }

        Assert.True(otherParties > 300 && partyErrors > 300, $"{otherParties} shipments with a purchaser, intermediate consignees or consignee_decision, {partyErrors} errors in them");

        // Both kinds must be well represented for the comparison to say anything.
        Assert.True(shipments > 2000 && errors > 2000, $"{shipments} shipments, {errors} errors");
        Assert.True(unknownFields > 300 && stringInformed > 1000 && consignees > 300, $"{unknownFields} unknown fields, {stringInformed} informed as text, {consignees} consignees");
        Assert.True(withFacts > 500 && factErrors > 200, $"{withFacts} shipments with facts, {factErrors} errors in facts");
        // The hand reader and the walk must both have been compared (JsonLineReader.ByHand.cs).
        Assert.True(fast.LinesReadByHand > 1200, $"{fast.LinesReadByHand} of 30,000 lines read by hand");
    }

    [Theory]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3\u0028\u0031\u0029","end_user":"K\u00f6ln"}""", "JP:3(1)", "Köln")]
    [InlineData("""{"date":"2019-07-04","from":"J\u0050","to":"DE","item":["JP:7(19)","US:3B993"]}""", "JP:7(19)|US:3B993", null)]
    public void Read_EscapedStrings_Unescaped(string json, string items, string? endUser)
    {
        var line = new JsonLineReader().Read(Encoding.UTF8.GetBytes(json), 1);

        Assert.Null(line.Error);
        Assert.Equal(items, string.Join("|", line.Shipment!.Classifications));
        Assert.Equal(endUser, line.Shipment.EndUser);
    }

    [Theory]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","value":{"amount":1200.50,"currency":"USD"},"quantity":{"amount":5,"unit":"kg"},"end_user_decision":"cleared"}""", null)]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","value":{"amount":"1200","currency":"USD"}}""", "line 1: field 'value.amount': expected a number")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","value":{"amount":-1,"currency":"USD"}}""", "line 1: field 'value.amount': '-1' is not a non-negative decimal number such as 1200.50")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","value":{"amount":1,"currency":"usd"}}""", "line 1: field 'value.currency': 'usd' is not a currency code of three upper-case letters (ISO 4217), e.g. USD")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","value":{"amount":1}}""", "line 1: missing required field 'value.currency'")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","quantity":{"amount":1,"unit":""}}""", "line 1: field 'quantity.unit': '' is not a unit such as kg, l or pcs (letters and digits, at most 16)")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","end_user_decision":"yes"}""", "line 1: field 'end_user_decision': 'yes' is not one of confirmed, cleared")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","consignee_decision":"yes"}""", "line 1: field 'consignee_decision': 'yes' is not one of confirmed, cleared")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","consignee_decision":true}""", "line 1: field 'consignee_decision': expected one of confirmed, cleared")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","purchaser":["X"]}""", "line 1: field 'purchaser': expected a name string")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","intermediate_consignees":"X"}""", "line 1: field 'intermediate_consignees': expected a list of name strings")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","intermediate_consignees":["X",7]}""", "line 1: field 'intermediate_consignees': expected a list of name strings")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"JP:3(1)","intermediate_consignee":["X"]}""", "line 1: unknown field 'intermediate_consignee': did you mean 'intermediate_consignees'?")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":[]}""", "line 1: field 'item': expected at least one classification such as \"JP:3(1)\"")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":[7]}""", "line 1: field 'item': expected a classification string such as \"JP:3(1)\" or a list of them")]
    [InlineData("""{"date":"2019-07-04","from":"JP","to":"DE","item":"3(1)"}""", "line 1: field 'item': '3(1)' is not a classification <REGIME>:<code> such as \"JP:3(1)\" or \"US:3B993\"")]
    public void Read_ContractAdditions_ParsedStrictly(string json, string? error)
    {
        var line = new JsonLineReader().Read(Encoding.UTF8.GetBytes(json), 1);

        Assert.Equal(error, line.Error?.Message);
        if (error is null)
        {
            Assert.Equal(new Money(1200.50m, "USD"), line.Shipment!.Value);
            Assert.Equal(new Quantity(5, "kg"), line.Shipment.Quantity);
            Assert.Equal(EndUserDecision.Cleared, line.Shipment.EndUserDecision);
        }
    }

    [Fact]
    public void Read_ListsAndValuesSeenAgain_SameAsReferenceLineForLine()
    {
        // One fast reader for every line, as a batch has: values and lists come back from its vocabulary. Lists of the
        // same values spaced, escaped, reordered or one longer; a value that spells a list's bytes; and more distinct
        // values than the vocabulary keeps (4,096), so that the later ones are built each time.
        var random = new Random(20261204);
        string[] held = ["general-bulk", "individual", "specific-bulk", @"gener\u0061l-bulk", @"individual\"",\""general-bulk", "Individual"];
        string[] items = ["JP:3(1)", "JP:7(19)", "KR:3C002", "US:3B993", @"JP:3\u0028\u0031\u0029", "US:7A104", @"JP:3(1)\"",\""JP:7(19)"];
        string List(string[] values, int most) => string.Join(random.Next(4) == 0 ? " , " : ",", Enumerable.Range(0, random.Next(most + 1)).Select(_ => $"\"{values[random.Next(values.Length)]}\""));
        var fast = new JsonLineReader();
        int shipments = 0, lists = 0;
        for (var i = 1; i <= 12_000; i++)
        {
            var item = random.Next(3) switch
            {
                0 => $"\"{items[random.Next(items.Length)]}\"",
                1 => $"[{List(items, 3)}]",
                _ => $"\"US:{random.Next(6000)}A{random.Next(10)}\"",
            };
            var json = $"{{\"id\":\"o-{i}\",\"date\":\"2024-01-01\",\"from\":\"JP\",\"to\":\"{(random.Next(2) == 0 ? "de" : "KR")}\",\"item\":{item},\"held\":[{List(held, 3)}]}}";
            var line = Encoding.UTF8.GetBytes(json);
            var expected = ReferenceJsonLineReader.Read(line, i);
            var actual = fast.Read(line, i);
            Assert.True(Describe(expected) == Describe(actual), $"line {i}: {json}\nreference: {Describe(expected)}\nfast:      {Describe(actual)}");
            shipments += expected.Shipment is null ? 0 : 1;
            lists += expected.Shipment is { Held.Count: > 1 } ? 1 : 0;
        }

        Assert.True(shipments > 6000 && lists > 2000, $"{shipments} shipments, {lists} with a list of held licences");
        Assert.True(fast.LinesReadByHand > 4000, $"{fast.LinesReadByHand} of 12,000 lines read by hand");
    }

    [Fact]
    public void TryParseCountry_EveryPairOfCharacters_SameAsCountryCode()
    {
        // The letter-pair table against the dictionary it stands for: ASCII letters of either case, every other ASCII
        // character, and letters outside ASCII that upper-case to ASCII ones (dotless i, long s, Kelvin sign).
        var characters = Enumerable.Range(0x20, 0x5F).Select(c => (char)c).Concat(['\u0131', '\u017F', '\u212A', '\u00E9', '\uFF21']).ToArray();
        var known = 0;
        foreach (var first in characters)
        {
            foreach (var second in characters)
            {
                ReadOnlySpan<char> text = [first, second];
                var expected = Clearance.Model.CountryCode.TryParse(text, out var expectedCode);
                Assert.Equal(expected, ShipmentFields.TryParseCountry(text, out var code));
                Assert.Equal(expectedCode, code);
                known += expected ? 1 : 0;
            }
        }

        Assert.True(known > 4 * 200, $"{known} pairs known"); // each code in four cases at least
    }
}
