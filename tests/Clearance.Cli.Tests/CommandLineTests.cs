using System.Diagnostics;
using System.Text.Json;

namespace Clearance.Cli.Tests;

/// <summary>Runs the built <c>clearance</c> command as a new user would, and checks its output and exit code.</summary>
public sealed class CommandLineTests
{
    internal static (int ExitCode, string Stdout, string Stderr) Clearance(params string[] args) =>
        ClearanceWithDb(Path.Combine(Path.GetTempPath(), $"clearance-cli-test-{Guid.NewGuid():N}.db"), args);

    internal static (int ExitCode, string Stdout, string Stderr) ClearanceWithDb(string db, params string[] args) => CliRunner.Run(db, null, args);

    [Theory]
    [InlineData("check --from JP --to KR --itme x", "error: unknown option '--itme' for 'clearance check': did you mean '--item'? (see 'clearance check --help')")]
    [InlineData("lists status --outptu json", "error: unknown option '--outptu' for 'clearance lists status': did you mean '--output'? (see 'clearance lists status --help')")]
    [InlineData("chek --from JP", "error: unknown command 'chek' for 'clearance': did you mean 'check'? (see 'clearance --help')")]
    [InlineData("rules show -j JP --zzz", "error: unknown option '--zzz' for 'clearance rules show' (see 'clearance rules show --help')")]
    public void UsageError_UnknownOptionOrCommand_OneLineWithTheNearestExit1(string commandLine, string message)
    {
        var (code, stdout, stderr) = Clearance(commandLine.Split(' '));

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal(message, stderr.Trim()); // one line: the unknown option's value is not reported as a second mistake
    }

    [Theory]
    [InlineData("", "check")]
    [InlineData("lists", "activate")]
    public void Help_CommandGroupWithoutSubcommand_ListsItsCommandsExit0(string commandLine, string listed)
    {
        var (code, stdout, stderr) = Clearance(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("Commands:", stdout, StringComparison.Ordinal);
        Assert.Contains(listed, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RulesDiff_July2019_ListsItemMeasuresAndKoreaMoveToGroupB()
    {
        var (code, stdout, _) = Clearance("rules", "diff", "--jurisdiction", "JP", "--from", "2019-07-01", "--to", "2019-09-01", "--output", "json");

        Assert.Equal(0, code);
        var changes = JsonDocument.Parse(stdout).RootElement.GetProperty("changes").EnumerateArray().ToList();
        Assert.Contains(changes, c => c.GetProperty("effective").GetString() == "2019-07-04" && c.GetProperty("subject").GetString() == "jp.kr-2019-07.general-bulk-withdrawn");
        Assert.Contains(changes, c => c.GetProperty("effective").GetString() == "2019-07-04" && c.GetProperty("subject").GetString() == "jp.kr-2019-07.special-general-bulk-withdrawn");
        var move = Assert.Single(changes, c => c.GetProperty("kind").GetString() == "group-change" && c.GetProperty("subject").GetString() == "KR");
        Assert.Equal("2019-08-28", move.GetProperty("effective").GetString());
        Assert.Contains("Group A", move.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Group B", move.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(move.GetProperty("citation").GetString()));
    }

    [Fact]
    public void RulesTimeline_Korea_GroupsOverTime()
    {
        var (code, stdout, _) = Clearance("rules", "timeline", "--jurisdiction", "JP", "--country", "KR", "--output", "json");

        Assert.Equal(0, code);
        var groups = JsonDocument.Parse(stdout).RootElement.GetProperty("groups").EnumerateArray()
            .Select(g => (From: g.GetProperty("from").GetString(), Groups: string.Join("+", g.GetProperty("groups").EnumerateArray().Select(x => x.GetString())))).ToList();
        Assert.Contains(("2019-08-28", "Group B"), groups);
        Assert.Contains(("2023-07-21", "Group A (Appended Table 3)"), groups);
    }

    [Fact]
    public void RulesShow_AsOfWithCountry_OnlyRulesThatConcernIt()
    {
        var (code, stdout, _) = Clearance("rules", "show", "--jurisdiction", "JP", "--as-of", "2019-09-01", "--country", "KR", "--output", "json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var ids = root.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("jp.kr-2019-07.special-general-bulk-withdrawn", ids);
        Assert.Contains("jp.catch-all.wmd.end-use", ids);
        Assert.DoesNotContain("jp.general-bulk.scope", ids);
        Assert.DoesNotContain("jp.embargo.north-korea", ids);
        Assert.Equal(["Group B"], root.GetProperty("country_groups").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public void ContentValidate_BrokenDirectory_FileLineAndExitCode1()
    {
        var dir = Directory.CreateTempSubdirectory("clearance-content-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "xx.yaml"), "jurisdiction:\n  id: XX\n  name: X\n  law: L\n  coverage_from: 2019-02-30\n  cite: c\n");

            var (code, _, stderr) = Clearance("content", "validate", dir.FullName);

            Assert.Equal(1, code);
            Assert.Contains("xx.yaml:5:", stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void ContentValidate_CsvOutput_HeaderAndTheJsonFieldsPerJurisdiction()
    {
        var (code, stdout, _) = Clearance("content", "validate", "-o", "csv");
        var json = Clearance("content", "validate", "-o", "json").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, code);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,jurisdiction,content_version,items,country_sets,requirement_rules,license_types,scope_rules,review_rules,unconfirmed", rows[0]);
        Assert.Equal(json.Length + 1, rows.Length);
        var japan = JsonDocument.Parse(json[0]).RootElement;
        Assert.Equal(
            $"jp.yaml,JP,{japan.GetProperty("content_version").GetString()},{japan.GetProperty("items").GetInt32()},{japan.GetProperty("country_sets").GetInt32()},"
            + $"{japan.GetProperty("requirement_rules").GetInt32()},{japan.GetProperty("license_types").GetInt32()},{japan.GetProperty("scope_rules").GetInt32()},"
            + $"{japan.GetProperty("review_rules").GetInt32()},{japan.GetProperty("unconfirmed").GetInt32()}",
            rows[1]);
    }

    [Fact]
    public void ContentValidate_BuiltIn_Ok()
    {
        var (code, stdout, _) = Clearance("content", "validate", "--output", "table");

        Assert.Equal(0, code);
        Assert.Contains("content version sha256:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BadDateFlag_ErrorLineAndExitCode2()
    {
        var (code, stdout, _) = Clearance("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-02-29", "--output", "json");

        Assert.Equal(2, code);
        Assert.Equal("invalid-date", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Check_FactFlagNoRegimeDeclares_ErrorNamingTheFactExit2()
    {
        var (code, stdout, _) = Clearance("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--fact", "anything=true", "--output", "json");

        Assert.Equal(2, code);
        var error = JsonDocument.Parse(stdout).RootElement.GetProperty("error");
        Assert.Equal("invalid-field", error.GetProperty("code").GetString());
        Assert.Equal("line 1: field 'facts.anything': not a fact of JP (declared: jp_russia_belarus_listed_goods, jp_russia_belarus_specified_entity, end_user_wmd_activity)", error.GetProperty("message").GetString());
    }

    [Fact]
    public void Check_ValueFlagWrongCurrency_SameErrorAsFileInput()
    {
        var (code, stdout, _) = Clearance("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--value", "1200.50 usd", "--output", "json");

        Assert.Equal(2, code);
        var error = JsonDocument.Parse(stdout).RootElement.GetProperty("error");
        Assert.Equal("invalid-field", error.GetProperty("code").GetString());
        Assert.Equal("line 1: field 'value.currency': 'usd' is not a currency code of three upper-case letters (ISO 4217), e.g. USD", error.GetProperty("message").GetString());
    }

    [Fact]
    public void Check_SeveralClassificationsWithValueQuantityAndDecision_EveryGoverningRegimeAnswers()
    {
        var (code, stdout, _) = Clearance("check", "--from", "JP", "--to", "KR", "--item", "US:3B993", "--item", "JP:3(1)", "--date", "2019-07-04",
            "--value", "1200.50 USD", "--quantity", "5 kg", "--end-user-decision", "cleared", "--output", "json");

        Assert.Equal(0, code);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("JP+US", result.GetProperty("jurisdiction").GetString());
        Assert.Equal("license-required", result.GetProperty("verdict").GetString());
        var regimes = result.GetProperty("regimes").EnumerateArray().ToList();
        Assert.Equal(["JP", "US"], regimes.Select(r => r.GetProperty("jurisdiction").GetString()));
        Assert.Equal(["license-required", "indeterminate"], regimes.Select(r => r.GetProperty("verdict").GetString()));
        Assert.Equal(["JP:3(1)", "US:3B993"], regimes.Select(r => r.GetProperty("classification").GetString()));
    }

    [Theory]
    [InlineData("rules", "show", "--jurisdiction", "JP", "--as-of", "2019-09-01", "--country", "KR")]
    [InlineData("rules", "timeline", "--jurisdiction", "JP", "--country", "KR")]
    [InlineData("rules", "diff", "--jurisdiction", "JP", "--from", "2019-07-01", "--to", "2019-09-01")]
    public void Rules_TableOutput_RendersPeriodsWithBrackets(params string[] args)
    {
        // Periods print as [from, to): unescaped, the brackets were read as markup and the table crashed.
        var (code, stdout, stderr) = Clearance([.. args, "--output", "table"]);

        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Contains("Group", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InputWithRatesFile_EvaluatesEveryLine()
    {
        var dir = Directory.CreateTempSubdirectory("clearance-rates-");
        var rates = Path.Combine(dir.FullName, "rates.csv");
        var orders = Path.Combine(dir.FullName, "orders.jsonl");
        File.WriteAllText(rates, "date,base,quote,rate\n2019-07-01,USD,JPY,107.9\n");
        File.WriteAllText(orders, """
            {"id": "o-1", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "value": {"amount": 5000000, "currency": "JPY"}}
            {"id": "o-2", "date": "2019-07-04", "from": "JP", "to": "KR", "item": ["JP:7(19)", "US:3B993"], "value": {"amount": 1200.5, "currency": "USD"}}
            """);

        var (code, stdout, stderr) = Clearance("check", "--input", orders, "--rates", rates);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["JP", "JP+US"], lines.Select(l => l.GetProperty("jurisdiction").GetString()));
        dir.Delete(recursive: true);
    }

    [Fact]
    public void Check_BadRatesFile_ErrorNamesLineAndFieldExit1()
    {
        var rates = Path.Combine(Directory.CreateTempSubdirectory("clearance-rates-").FullName, "rates.csv");
        File.WriteAllText(rates, "date,base,quote,rate\n2019-07-01,USD,JPY,-1\n");

        var (code, stdout, stderr) = Clearance("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--rates", rates);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: --rates: {rates}:2: field 'rate': '-1' is not a positive decimal number", stderr.Trim());
    }

    [Fact]
    public void Check_SeveralRegimesTableOutput_ShowsEachRegime()
    {
        var (code, stdout, _) = Clearance("check", "--from", "JP", "--to", "CN", "--item", "JP:7(19)", "US:3B993", "--date", "2020-01-01", "--end-use", "civil", "--output", "table");

        Assert.Equal(0, code);
        Assert.Contains("regime JP", stdout, StringComparison.Ordinal);
        Assert.Contains("regime US", stdout, StringComparison.Ordinal);
        Assert.Contains("US:3B993", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("recognised by its form", stdout, StringComparison.Ordinal); // the CCL is in the content
    }

    [Fact]
    public void Check_TableOutput_RendersTheResult()
    {
        var (code, stdout, _) = Clearance("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--held", "individual", "--output", "table");

        Assert.Equal(0, code);
        Assert.Contains("license-required", stdout, StringComparison.Ordinal);
        Assert.Contains("individual (held: covers this export)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InputFileMissing_ClearErrorExitCode1()
    {
        var (code, _, stderr) = Clearance("check", "--input", "/nonexistent/orders.jsonl");

        Assert.Equal(1, code);
        Assert.Contains("--input", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EndUserOnMetiEndUserList_EndUserGroundWithEntry()
    {
        var db = Path.Combine(Path.GetTempPath(), $"clearance-cli-test-{Guid.NewGuid():N}.db");
        var eul = global::Clearance.Screening.Tests.Lists.SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
        try
        {
            Assert.Equal(0, ClearanceWithDb(db, "lists", "import", "--format", "meti-eul", eul).ExitCode);

            var (code, stdout, _) = ClearanceWithDb(db, "check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01",
                "--end-use", "civil", "--end-user", "Beijing University of Aeronautics & Astronautics", "--output", "json");

            Assert.Equal(0, code);
            var result = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal("license-required", result.GetProperty("verdict").GetString());
            var ground = Assert.Single(result.GetProperty("grounds").EnumerateArray());
            Assert.Equal("end-user", ground.GetProperty("kind").GetString());
            Assert.Equal("meti-eul", ground.GetProperty("list").GetString());
            Assert.Equal("501", ground.GetProperty("entity_id").GetString());
            Assert.StartsWith("Beijing University of Aeronautics and Astronautics", ground.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.False(ground.TryGetProperty("entry_id", out _)); // one key name for a list entry: entity_id, as in matches and diffs
            Assert.True(ground.GetProperty("score").GetDouble() >= 0.9);

            var clear = JsonDocument.Parse(ClearanceWithDb(db, "check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01",
                "--end-use", "civil", "--end-user", "Suzhou Tasty Noodle Restaurant", "--output", "json").Stdout).RootElement;
            Assert.Equal("no-license-required", clear.GetProperty("verdict").GetString());
        }
        finally
        {
            File.Delete(db);
        }
    }

    [Fact]
    public void Check_ListDatabaseUnreachable_EndUserNotScreenedWithWarning()
    {
        var (code, stdout, stderr) = ClearanceWithDb("postgres://nobody@127.0.0.1:1/none", "check", "--from", "JP", "--to", "CN", "--item", "JP:16",
            "--date", "2024-01-01", "--end-use", "civil", "--end-user", "Example Trading", "--output", "json");

        Assert.Equal(0, code);
        Assert.Equal("indeterminate", JsonDocument.Parse(stdout).RootElement.GetProperty("verdict").GetString());
        Assert.Contains("end users not screened", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threshold", "NaN", "error: --threshold: 'NaN' is not a number between 0 and 1")]
    [InlineData("--threshold", "abc", "error: --threshold: 'abc' is not a number between 0 and 1")]
    [InlineData("--threshold", "-0.5", "error: --threshold: -0.5 is not between 0 and 1")]
    [InlineData("--limit", "abc", "error: --limit: 'abc' is not a whole number")]
    [InlineData("--limit", "99999999999", "error: --limit: '99999999999' is not a whole number")]
    public void Screen_BadNumber_UsageErrorExit1(string option, string value, string message)
    {
        var (code, stdout, stderr) = Clearance("screen", "BANK OF KUNLUN", option, value);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal(message, stderr.Trim());
    }

    [Theory]
    [InlineData("screen", "BANK OF KUNLUN")]
    [InlineData("lists", "status")]
    [InlineData("lists", "diff", "--list", "meti-eul")]
    public void Database_TextFile_OneLineErrorExit1(params string[] args)
    {
        string db = Path.Combine(Path.GetTempPath(), $"clearance-cli-test-{Guid.NewGuid():N}.db");
        File.WriteAllText(db, "not a database\n");
        try
        {
            var (code, _, stderr) = ClearanceWithDb(db, args);

            Assert.Equal(1, code);
            Assert.Equal($"error: {db} is not a clearance database (SQLite: file is not a database); give the database with --db or $CLEARANCE_DB", stderr.Trim());
        }
        finally
        {
            File.Delete(db);
        }
    }

    [Fact]
    public void ListsStatus_MalformedConnectionString_OneLineErrorExit1()
    {
        var (code, _, stderr) = Clearance("lists", "status", "--db", "Host=;;=Port=abc");

        Assert.Equal(1, code);
        Assert.StartsWith("error: invalid PostgreSQL connection string", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}

/// <summary>A result past the content's last review date carries the warning, in JSON and on the terminal.</summary>
public sealed class ReviewDateWarningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_PastTheReviewDate_WarningInJsonAndOnTheTerminal()
    {
        var db = Path.Combine(_dir.FullName, "c.db");
        string[] args = ["check", "--from", "JP", "--to", "KR", "--item", "JP:7(19)", "--date", "2030-01-01"];

        var json = CliRunner.Run(db, null, [.. args, "--output", "json"]);
        var terminal = CliRunner.Terminal(db, 80, args);
        var before = CliRunner.Run(db, null, ["check", "--from", "JP", "--to", "KR", "--item", "JP:7(19)", "--date", "2026-12-01", "--output", "json"]);

        Assert.Equal((0, 0, 0), (json.Exit, terminal.Exit, before.Exit));
        Assert.Contains("\"warnings\":[\"", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("last review on 2026-12-01", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning", terminal.Text, StringComparison.Ordinal);
        Assert.Contains("last review on 2026-12-01", System.Text.RegularExpressions.Regex.Replace(terminal.Text, @"[│\s]+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain("\"warnings\"", before.Stdout, StringComparison.Ordinal);
    }
}
