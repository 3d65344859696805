namespace Clearance.Screening.Tests.Lists;

/// <summary>
/// The hand-written list files in Lists/Fixtures, read in place: found by walking up from the test's base directory to the
/// source tree, so no build step has to copy them.
/// </summary>
internal static class ListFixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "Lists", "Fixtures");
            if (Directory.Exists(candidate))
                return candidate;
            candidate = System.IO.Path.Combine(dir.FullName, "tests", "Clearance.Screening.Tests", "Lists", "Fixtures");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"no Lists/Fixtures folder above {AppContext.BaseDirectory}");
    });

    public static string Path(string name) => System.IO.Path.Combine(Root.Value, name);
}

/// <summary>Hostile XML files: a DTD that reads a local file (XXE), and one that expands entities a billion-fold.</summary>
internal static class HostileXml
{
    /// <summary>Writes secret.txt and an XML file whose DTD (line 2) declares an external entity pointing at it.</summary>
    public static string ExternalEntity(TempDirectory dir, string root, string body)
    {
        var secret = dir.Write("secret.txt", "TOP SECRET");
        return dir.Write("xxe.xml", $"<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [ <!ENTITY xxe SYSTEM \"file://{secret}\"> ]>\n<{root}>{body}</{root}>\n");
    }

    /// <summary>The classic billion-laughs file: ten levels of entities each repeating the previous ten times.</summary>
    public static string BillionLaughs(TempDirectory dir, string root)
    {
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        return dir.Write("lol.xml", $"<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [\n<!ENTITY lol0 \"lol\">\n{entities}\n]>\n<{root}>&lol9;</{root}>\n");
    }

    /// <summary>The first <paramref name="lines"/> lines of a file, as a truncated download would leave it.</summary>
    public static string Truncated(TempDirectory dir, string source, int lines) =>
        dir.Write(System.IO.Path.GetFileName(source), string.Join("\n", File.ReadLines(source).Take(lines)));
}
