using BenchmarkDotNet.Running;

namespace Clearance.Benchmarks;

/// <summary>
/// Runs any benchmark in this assembly: <c>dotnet run -c Release --project bench/Clearance.Benchmarks -- --filter '*'</c>;
/// <c>gen-shipments</c> and <c>floor</c> are the end-to-end helpers of bench/check-e2e.sh;
/// <c>check-pipeline FILE [read]</c> runs the check's batch in process and prints its allocation, collections and
/// waits for the reading thread (<see cref="Determination.CheckPipelineSpeed"/>);
/// <c>start-phases FILE</c> takes the start of a check apart (<see cref="Determination.StartPhases"/>);
/// <c>determination-speed [SECONDS]</c> times determinations per regime on one thread (wall and CPU);
/// <c>recheck-speed BOOK.db [ROUNDS]</c> times the incremental and the full recheck in process (<see cref="RecheckSpeed"/>);
/// <c>screening-eval</c> runs the screening quality evaluation, <c>screening-speed</c> its speed part alone;
/// <c>han-readings-table [UNIHAN_DIR] [OUTPUT]</c> regenerates src/Clearance.Screening/Matching/han-readings.tsv.
/// </summary>
internal static class BenchmarkProgram
{
    private static int Main(string[] args)
    {
        if (args is ["gen-shipments", ..] or ["floor", ..])
        {
            return Determination.CheckFloor.Run(args);
        }

        if (args is ["check-pipeline", ..])
        {
            return Determination.CheckPipelineSpeed.Run(args);
        }

        if (args is ["start-phases", ..])
        {
            return Determination.StartPhases.Run(args);
        }

        if (args is ["determination-speed", ..])
        {
            return Determination.DeterminationSpeed.Run(args);
        }

        if (args is ["screening-parties", ..])
        {
            return Screening.ScreeningEvaluationProgram.WriteParties(args[1..]);
        }

        if (args is ["screening-speed", ..])
        {
            return Screening.ScreeningEvaluationProgram.RunSpeed();
        }

        if (args is ["recheck-speed", ..])
        {
            return RecheckSpeed.Run(args);
        }

        if (args is ["han-readings-table", ..])
        {
            return Screening.HanReadingsTableCommand.Run(args[1..]);
        }

        if (args is ["screening-eval", ..])
        {
            return Screening.ScreeningEvaluationProgram.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
