using System.Globalization;

namespace Clearance.Benchmarks.Screening;

/// <summary>The screening quality evaluation: dotnet run -c Release --project bench/Clearance.Benchmarks -- screening-eval.</summary>
internal static class ScreeningEvaluationProgram
{
    public static int Run(string[] args)
    {
        bool verbose = args.Contains("--errors");
        var pairs = DevEvalData.NameBenchCases();
        Console.WriteLine($"contrib_name_bench_cases.csv: {pairs.Count} pairs");
        foreach (double t in new[] { 0.70, 0.75, 0.78, 0.80, 0.82, 0.85, 0.88, 0.90 })
        {
            var m = PairEvaluation.Measure(pairs, t);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  threshold {t:0.00}: precision {m.Precision:0.000} recall {m.Recall:0.000} F1 {m.F1:0.000} (tp {m.Tp} fp {m.Fp} fn {m.Fn} tn {m.Tn})"));
        }

        if (verbose)
        {
            PairEvaluation.Measure(pairs, 0.80, (p, s) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(p.IsMatch ? "FN" : "FP")} {s:0.000} [{p.Kind}] {p.Name1} | {p.Name2}")));
        }

        return 0;
    }
}
