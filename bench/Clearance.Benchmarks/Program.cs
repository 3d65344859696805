using BenchmarkDotNet.Running;

namespace Clearance.Benchmarks;

/// <summary>Runs any benchmark in this assembly: dotnet run -c Release --project bench/Clearance.Benchmarks -- --filter '*'.</summary>
internal static class BenchmarkProgram
{
    private static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
