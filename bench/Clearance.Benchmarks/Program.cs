using BenchmarkDotNet.Running;

namespace Clearance.Benchmarks;

/// <summary>
/// Runs any benchmark in this assembly: <c>dotnet run -c Release --project bench/Clearance.Benchmarks -- --filter '*'</c>;
/// <c>gen-shipments</c> and <c>floor</c> are the end-to-end helpers of bench/check-e2e.sh;
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

        if (args is ["screening-parties", ..])
        {
            return Screening.ScreeningEvaluationProgram.WriteParties(args[1..]);
        }

        if (args is ["screening-speed", ..])
        {
            return Screening.ScreeningEvaluationProgram.RunSpeed();
        }

        if (args is ["han-readings-table", ..])
        {
            // Regenerates the embedded Han reading table from the Unihan files (Debian's unicode-data by default).
            string directory = args.Length > 1 ? args[1] : Clearance.Screening.Matching.HanReadingTable.DebianUnihanDirectory;
            string output = args.Length > 2 ? args[2] : Path.Combine("src", "Clearance.Screening", "Matching", "han-readings.tsv");
            string? table = Clearance.Screening.Matching.HanReadingTable.GenerateFrom(directory);
            if (table is null)
            {
                Console.Error.WriteLine($"han-readings-table: no Unihan_Readings/Unihan_Variants files in {directory}; install Debian's unicode-data (scripts/apt-install.sh han-readings-table unicode-data)");
                return 1;
            }

            File.WriteAllText(output, table, new System.Text.UTF8Encoding(false));
            Console.WriteLine($"han-readings-table: wrote {output} ({table.Length} characters)");
            return 0;
        }

        if (args is ["screening-eval", ..])
        {
            return Screening.ScreeningEvaluationProgram.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
