using System.Text;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Application.Tests;

/// <summary>The CSV form of check results, as any front end writes it.</summary>
public sealed class ResultCsvTests
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    [Fact]
    public void Write_SeveralRegimesAndAnError_OneRowPerLineErrorCounted()
    {
        var input = """
            {"id": "=1", "date": "2019-09-02", "from": "JP", "to": "KR", "item": ["JP:7(19)", "US:3B993"], "held": ["JP:individual"]}
            {"id": "o-2", "date": "2019-09-02", "from": "JP", "to": "KR", "item": "JP:99"}
            """;
        var service = new CheckService(Evaluator, EndUserScreening.None);
        var output = new StringWriter();

        var errors = ResultCsv.Write(JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(input))).Select(service.Check), output);

        Assert.Equal(1, errors);
        var rows = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', ResultCsv.Columns), rows[0]);
        Assert.StartsWith("'=1,1,2019-09-02,JP,KR,JP:7(19); US:3B993,JP+US,license-required,,JP:individual", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("o-2,2,", rows[2], StringComparison.Ordinal);
        Assert.Contains("unknown-item: ", rows[2], StringComparison.Ordinal);
    }
}
