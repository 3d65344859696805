using BenchmarkDotNet.Running;

// Runs any benchmark in this assembly: dotnet run -c Release --project bench/Clearance.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
