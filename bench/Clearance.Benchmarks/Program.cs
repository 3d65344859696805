using BenchmarkDotNet.Running;

namespace Clearance.Benchmarks;

/// <summary>Runs any benchmark in this assembly: dotnet run -c Release --project bench/Clearance.Benchmarks -- --filter '*'.
/// "screening-eval" runs the screening quality evaluation instead.</summary>
internal static class BenchmarkProgram
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "screening-eval")
        {
            return Screening.ScreeningEvaluationProgram.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
