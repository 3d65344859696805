using Clearance.Screening.Matching;

namespace Clearance.Benchmarks.Screening;

/// <summary>
/// han-readings-table [UNIHAN_DIR] [OUTPUT]: regenerates the embedded Han reading table from the Unihan files (Debian's
/// unicode-data by default) into src/Clearance.Screening/Matching/han-readings.tsv (run from the repository root).
/// </summary>
internal static class HanReadingsTableCommand
{
    public static int Run(string[] args)
    {
        string directory = args.Length > 0 ? args[0] : HanReadingTable.DebianUnihanDirectory;
        string output = args.Length > 1 ? args[1] : Path.Combine("src", "Clearance.Screening", "Matching", "han-readings.tsv");
        string? table = HanReadingTable.GenerateFrom(directory);
        if (table is null)
        {
            Console.Error.WriteLine($"han-readings-table: no Unihan_Readings/Unihan_Variants files in {directory}; install Debian's unicode-data (scripts/apt-install.sh han-readings-table unicode-data)");
            return 1;
        }

        File.WriteAllText(output, table, new System.Text.UTF8Encoding(false));
        Console.WriteLine($"han-readings-table: wrote {output} ({table.Length} characters)");
        return 0;
    }
}
