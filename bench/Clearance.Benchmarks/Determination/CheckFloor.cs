using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// End-to-end helpers for the 1M-line <c>clearance check</c> measurement (bench/check-e2e.sh):
/// <c>gen-shipments N FILE [US_SHARE]</c> writes the input (JP/KR lines, and that share of US lines, e.g. 0.33); <c>floor FILE</c> is the floor to compare with: a naive,
/// single-threaded streaming pass that parses each line's JSON and writes a small JSON object per line, with no
/// determination.
/// </summary>
public static class CheckFloor
{
    public static int Run(string[] args)
    {
        switch (args)
        {
            case ["gen-shipments", var count, var path, .. var share] when share.Length <= 1:
                using (var file = File.Create(path))
                {
                    var usShare = share is [var given] ? double.Parse(given, System.Globalization.CultureInfo.InvariantCulture) : 0;
                    ShipmentGenerator.WriteJsonLines(new Evaluator(ContentLoader.LoadBuiltIn()), int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), seed: 20190704, file, usShare);
                }

                return 0;
            case ["floor", var path]:
                StreamingFloor.Floor(path, Console.OpenStandardOutput());
                return 0;
            default:
                Console.Error.WriteLine("usage: gen-shipments N FILE [US_SHARE] | floor FILE");
                return 2;
        }
    }
}
