using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Clearance.Cli.Tests;

/// <summary>
/// <c>scripts/publish.sh</c>'s ReadyToRun form (<c>NATIVE=0</c>; the default, native form is
/// <see cref="NativePublishTests"/>'s): the composite, self-contained publish into a temporary folder, then the published
/// executable's <c>check</c> of one line (a JP and a US classification, so that both regimes' content, the generated CCL
/// among it, is read), whose output must be byte for byte the built CLI's. The publish compiles the whole framework
/// (crossgen2): many minutes on loaded cores, so the test is in the category <c>Publish</c>, which <c>test.sh</c> leaves
/// out of the solution's run and runs once afterwards, alone (docs/benchmarks.md, "ear-timeline9").
/// </summary>
[Trait("Category", "Publish")]
[Collection(PublishCollection.Name)]
public sealed partial class PublishScriptTests(ITestOutputHelper output)
{
    /// <summary>The README's line that runs both regimes on one shipment.</summary>
    private static readonly string[] OneLine =
        ["check", "--from", "JP", "--to", "US", "--item", "JP:7(19)", "--item", "US:3B993", "--value", "1200.50 USD", "--quantity", "5 kg", "--date", "2024-01-01", "--output", "json"];

    [Fact]
    public void PublishScript_ReadyToRunIntoTemporaryFolder_PublishedCheckSameAsBuiltCli()
    {
        var folder = Directory.CreateTempSubdirectory("clearance-publish-");
        try
        {
            var target = Path.Combine(folder.FullName, "publish");
            var clock = Stopwatch.StartNew();
            var (exit, stdout, stderr) = PublishedProcess.Run(new ProcessStartInfo("bash")
            {
                ArgumentList = { Path.Combine(ReadmeFixture.RepoRoot, "scripts", "publish.sh"), target },
                WorkingDirectory = ReadmeFixture.RepoRoot,
                Environment = { ["NATIVE"] = "0" },
            });
            clock.Stop();
            output.WriteLine($"scripts/publish.sh took {clock.Elapsed:mm\\:ss} (wall, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");

            Assert.True(exit == 0, $"scripts/publish.sh exited {exit}\n{PublishedProcess.Tail(stdout)}\n{PublishedProcess.Tail(stderr)}");
            Assert.Contains($"published to {target}: ", stdout, StringComparison.Ordinal);
            // What the paragraph promises: self-contained (the runtime is in the folder) and composite ReadyToRun (one
            // image for the framework and Clearance), about 190 MB.
            Assert.True(File.Exists(Path.Combine(target, "libcoreclr.so")), "no runtime in the published folder: not self-contained");
            Assert.True(File.Exists(Path.Combine(target, "clearance.r2r.dll")), "no composite image clearance.r2r.dll: not composite ReadyToRun");
            var megabytes = new DirectoryInfo(target).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1_000_000;
            Assert.InRange(megabytes, 150, 250);

            var executable = Path.Combine(target, "clearance");
            var db = Path.Combine(folder.FullName, "clearance.db");
            var published = new ProcessStartInfo(executable) { Environment = { ["CLEARANCE_DB"] = db, ["DOTNET_ROOT"] = folder.FullName } };
            foreach (var a in OneLine)
            {
                published.ArgumentList.Add(a);
            }

            var fromPublish = PublishedProcess.Run(published);
            var fromBuild = CliRunner.Run(db, null, OneLine);

            Assert.Equal((0, ""), (fromPublish.Exit, fromPublish.Stderr));
            Assert.Contains("\"jurisdiction\":\"JP+US\"", fromPublish.Stdout, StringComparison.Ordinal);
            Assert.Equal((fromBuild.Exit, fromBuild.Stdout, fromBuild.Stderr), fromPublish);
        }
        finally
        {
            // The folder holds about 190 MB: never left behind.
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The commands of the README's "Build once" paragraph that install the published build: the publish and the alias
    /// to its executable (the code block after "Or install it as it is measured").
    /// </summary>
    internal static (string Publish, string Alias) ReadmeBuildOnce()
    {
        var readme = File.ReadAllText(ReadmeFixture.ReadmePath);
        var block = BuildOnceBlock().Match(readme);
        Assert.True(block.Success, "README.md: no paragraph 'Or install it as it is measured: `scripts/publish.sh` ...' followed by its two commands");
        return (block.Groups["publish"].Value, block.Groups["alias"].Value);
    }

    [GeneratedRegex(@"Or install it as it is measured: `scripts/publish\.sh`[^\n]*(?:\n[^\n]+)*\n\n    (?<publish>[^\n]+)\n    (?<alias>[^\n]+)\n")]
    private static partial Regex BuildOnceBlock();
}
