using BenchmarkDotNet.Attributes;
using Clearance.Screening.Lists;
using Clearance.Store;

namespace Clearance.Benchmarks;

/// <summary>
/// Import of one full SDN file (sdn_2024-05-03.csv, 14,965 entries) into a fresh SQLite database, against parsing alone
/// (the baseline: what the store adds on top of reading the file).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ListImportBenchmarks
{
    private string _sdn = "";
    private string _directory = "";
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "lists", "ofac_sdn", "sdn_2024-05-03.csv");
            if (File.Exists(candidate))
            {
                _sdn = candidate;
                break;
            }
        }
        if (_sdn.Length == 0)
            throw new FileNotFoundException("shared/lists/ofac_sdn/sdn_2024-05-03.csv not found above " + AppContext.BaseDirectory);
        _directory = Path.Combine(Path.GetTempPath(), "clearance-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_directory);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly() => OfacCsvParser.Parse([_sdn]).Count();

    [Benchmark]
    public int ParseAndImportIntoNewDatabase()
    {
        var store = ListStore.OpenSqlite(Path.Combine(_directory, $"run{_run++}.db"));
        return store.Import("ofac-sdn", OfacCsvParser.Format, OfacCsvParser.Parse([_sdn]), ListSource.FromFiles([_sdn])).Version.EntityCount;
    }

    [Benchmark]
    public int LoadActiveEntities() => _loaded.LoadActiveEntities().Count;

    private ListStore _loaded = null!;

    [GlobalSetup(Target = nameof(LoadActiveEntities))]
    public void SetupLoaded()
    {
        Setup();
        _loaded = ListStore.OpenSqlite(Path.Combine(_directory, "loaded.db"));
        _loaded.Import("ofac-sdn", OfacCsvParser.Format, OfacCsvParser.Parse([_sdn]), ListSource.FromFiles([_sdn]));
    }
}
