using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

/// <summary>
/// Issue 7: a series of FtM delta files is read through before any of it is applied, so a broken file late in the series
/// is an error naming it while nothing has been written (the import applies the files only after <see cref="ListFiles.DeltaFiles"/>).
/// </summary>
public sealed class DeltaSeriesTests
{
    private static readonly string Series = SharedListFiles.Path("opensanctions_ftm", "t2");

    /// <summary>A copy of the t2 series (index and delta files) in <paramref name="dir"/>, the last file replaced by <paramref name="last"/>.</summary>
    internal static string CopySeries(TempDirectory dir, string last)
    {
        foreach (var version in Directory.GetDirectories(Series))
        {
            var target = Path.Combine(dir.FullName, Path.GetFileName(version));
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(version, "entities.delta.json"), Path.Combine(target, "entities.delta.json"));
        }
        File.WriteAllText(Path.Combine(dir.FullName, "20240528134729-3iv", "entities.delta.json"), last);
        File.Copy(Path.Combine(Series, "delta.json"), Path.Combine(dir.FullName, "delta.json"));
        return Path.Combine(dir.FullName, "delta.json");
    }

    public static TheoryData<string, long, string> BrokenLastFiles => new()
    {
        { "{\"op\":\"DEL\",\"entity\":{\"id\":\"a\"}}\n{\"op\":\"ADD\",\"entity\":{\"id\":\"b\",\"schema\":\"Comp", 2, "not a JSON object" },
        { "{\"op\":\"DEL\",\"entity\":{\"id\":\"a\"}}\n{\"op\":\"REPLACE\",\"entity\":{\"id\":\"b\"}}\n", 2, "unknown operation 'REPLACE'" },
        { "{\"op\":\"ADD\",\"entity\":{\"schema\":\"Company\",\"properties\":{\"name\":[\"A\"]}}}\n", 1, "the entity has no id" },
    };

    [Theory]
    [MemberData(nameof(BrokenLastFiles))]
    public void DeltaFiles_IndexWithABrokenLastFile_ErrorNamesItBeforeAnythingIsApplied(string last, long line, string problem)
    {
        using var dir = new TempDirectory();
        var index = CopySeries(dir, last);

        var e = Assert.Throws<ListFormatException>(() => ListFiles.DeltaFiles("ftm", index));

        Assert.Equal(Path.Combine(dir.FullName, "20240528134729-3iv", "entities.delta.json"), e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeltaFiles_IntactSeries_AllFilesOldestFirst()
    {
        using var dir = new TempDirectory();
        var index = CopySeries(dir, File.ReadAllText(Path.Combine(Series, "20240528134729-3iv", "entities.delta.json")));

        Assert.Equal(5, ListFiles.DeltaFiles("ftm", index)!.Count);
    }

    [Fact]
    public void DeltaFiles_BrokenSingleDeltaFile_Error()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("entities.delta.json", "{\"op\":\"DEL\",\"entity\":{}}\n");

        var e = Assert.Throws<ListFormatException>(() => ListFiles.DeltaFiles("ftm", path));

        Assert.Equal((1L, "id"), (e.Line, e.Field));
    }

    [Theory]
    [InlineData("../..")]
    [InlineData("/etc")]
    [InlineData("..")]
    [InlineData("a/../../b")]
    public void DeltaFilesOf_VersionNameOutsideTheFolder_Refused(string version)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("delta.json", $"{{\"versions\": {{\"{version}\": \"https://example.org/x\"}}}}");

        var e = Assert.Throws<ListFormatException>(() => FtmParser.DeltaFilesOf(path));

        Assert.Contains("is not a version name", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Found by ParserFuzzTests (ftm-delta-index, seed 7018, mutation 90): invalid UTF-8 in a version name crashed.</summary>
    [Fact]
    public void DeltaFilesOf_InvalidUtf8_CleanError()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("delta.json", [.. "{\"versions\": {\"2024"u8, 0xFC, .. "\": \"x\"}}"u8]);

        var e = Assert.Throws<ListFormatException>(() => FtmParser.DeltaFilesOf(path));

        Assert.Contains("not valid utf-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeltaFilesOf_MissingVersionWithANonStringUrl_CleanError()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("delta.json", "{\"versions\": {\"20240101-abc\": 12}}");

        var e = Assert.Throws<ListFormatException>(() => FtmParser.DeltaFilesOf(path));

        Assert.Contains("version 20240101-abc (12) is not available locally", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeltaFiles_IndexOverTheSizeLimit_ErrorWithoutReadingItWhole()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.FullName, "delta.json");
        var source = new GeneratedStream("{\"versions\": {\"a\": \""u8.ToArray(), (byte)'x', 1L << 30, "\"}}"u8.ToArray());
        ListText.Source.Value = p => p == path ? source : null;
        try
        {
            var e = Assert.Throws<ListFormatException>(() => FtmParser.DeltaFilesOf(path));

            Assert.Contains($"larger than the maximum of {FtmParser.MaxDeltaIndexBytes:N0} bytes", e.Message, StringComparison.Ordinal);
            Assert.True(source.MostRead <= FtmParser.MaxDeltaIndexBytes + (1 << 16), source.MostRead.ToString());
        }
        finally
        {
            ListText.Source.Value = null;
        }
    }
}
