using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clearance.Application;

namespace Clearance.Cli.Tests;

/// <summary>
/// Every command line the README shows, run as a person runs it: once with standard output redirected (JSON Lines by
/// default) and once in a pseudo-terminal 80 columns wide (<c>script</c>), each asserting the exit code the README
/// documents and what the README says the command prints. A README command without an entry in <see cref="Expected"/>
/// fails, so the README cannot gain a command that no test runs.
/// </summary>
/// <remarks>
/// How the commands run (<see cref="ReadmeFixture"/>): from a temporary working directory <c>T/repo</c> whose
/// <c>../shared</c> is a symbolic link to the real shared folder, so <c>../shared/lists/...</c> resolves as in the
/// README while the lists are read in place and the files the commands write (results.jsonl, ...) stay out of the
/// repository; the fixtures the README names (orders.jsonl, orders.csv, rates.csv, parties.csv, eul.csv, my-rules/)
/// are written there. <c>clearance</c> is a script on PATH running the built clearance.dll; <c>CLEARANCE_DB</c> is a
/// database of this class alone. The class fixture runs every command before the tests assert on the runs: first the
/// README's <c>lists import</c>/<c>update</c> lines, one after the other in README order, redirected and then on the
/// terminal (importing the same files again, unchanged); then every other command both ways, two commands at a time.
/// The README's <c>lists update</c> has no <c>--config</c>: the harness appends <c>--config</c> with a file that points
/// every default source at a local HTTP server serving the real files (a source it has no file for gets no URL), and sets
/// <c>HTTP(S)_PROXY</c> to a closed local port, so that nothing can reach the network. <c>dotnet run --project
/// src/Clearance.Cli --</c> runs as <c>clearance</c> (the same program, without a build inside the test).
/// </remarks>
public sealed class ReadmeCommandTests(ReadmeFixture fixture) : IClassFixture<ReadmeFixture>
{
    /// <summary>
    /// What the README documents for each command, keyed by the command as the README shows it (continuation lines
    /// joined with one space, the trailing <c># comment</c> removed). Adding a command to the README means adding one
    /// entry here. Where the code in this branch still differs from what the README documents, the entry follows the
    /// code and says so in <see cref="Expect.Note"/>, to be reconciled when that work lands.
    /// </summary>
    internal static readonly Dictionary<string, Expect> Expected = new(StringComparer.Ordinal)
    {
        ["""dotnet run --project src/Clearance.Cli -- check --from JP --to KR --item "JP:3(1)" --date 2019-07-04 --end-use civil"""] =
            new(0, ["\"verdict\":\"license-required\"", "\"eligible_licenses\":[\"individual\"]"], Terminal: ["license-required", "individual"]),
        ["""clearance check --from JP --to KR --item "JP:3(1)" --date 2019-07-03"""] =
            new(0, ["\"eligible_licenses\":[\"individual\",\"general-bulk\""], Terminal: ["license-required", "general-bulk"]),
        ["""clearance check --from JP --to KR --item "JP:3(1)" --date 2019-07-04"""] =
            new(0, ["\"verdict\":\"license-required\"", "\"eligible_licenses\":[\"individual\"]"], Terminal: ["license-required", "individual"]),
        ["""clearance check --from JP --to KR --item "JP:7(19)" --date 2019-12-20 --held specific-bulk"""] =
            new(0, ["\"covered_by\":\"specific-bulk\""], Terminal: ["covered by", "specific-bulk"]),
        ["""clearance check --from JP --to KR --item JP:16 --date 2019-08-28 --end-use wmd"""] =
            new(0, ["\"kind\":\"catch-all\"", "\"destination_groups\":[\"Group B\"]"], Terminal: ["license-required", "Group B"]),
        ["""clearance check --from JP --to KP --item JP:16 --date 2020-01-01"""] =
            new(0, ["\"verdict\":\"prohibited\""], Terminal: ["prohibited"]),
        ["""clearance check --from KR --to JP --item KR:3C002 --date 2019-09-18"""] =
            new(0, ["\"review_days\":15", "Ga-2 (가의2)"], Terminal: ["Ga-2 (가의2)", "15 days"]),
        ["""clearance check --input orders.jsonl --output json > results.jsonl"""] =
            new(0, ["\"id\":\"o-1\",\"as_of\"", "\"id\":\"o-2\",\"as_of\"", "\"id\":\"o-3\",\"as_of\""], Terminal: [], File: "results.jsonl"),
        ["""clearance check --input orders.csv"""] =
            new(0, ["\"id\":\"c-1\",\"as_of\"", "\"id\":\"c-2\",\"as_of\""], Terminal: ["c-1", "c-2"]),
        ["""clearance check --from JP --to CN --item JP:16 --date 2024-01-01 --end-use civil --end-user "Harbin Institute of Technology Weihai" --end-user-decision cleared"""] =
            new(0, ["\"verdict\":\"no-license-required\"", "Harbin Institute of Technology"], Terminal: ["no-license-required", "possible match cleared"]),
        ["""clearance check --from JP --to US --item "JP:7(19)" --item US:3B993 --value "1200.50 USD" --quantity "5 kg" --date 2024-01-01"""] =
            new(0, ["\"jurisdiction\":\"JP+US\""], Terminal: ["JP+US"]),
        ["""clearance check --from US --to BR --item US:2B003 --value "5000 USD" --date 2026-08-01 --end-use civil --end-user "Example Machine Tools Ltda." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"eligible_licenses\":[\"LVS\",", "\"rule\":\"us.ccl.NS2\""], Terminal: ["license-required", "LVS"]),
        ["""clearance check --from US --to BR --item US:2B003 --value "5000.01 USD" --date 2026-08-01 --end-use civil --end-user "Example Machine Tools Ltda." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"eligible_licenses\":[\"TMP\",\"GOV\",\"license\"]"], Terminal: ["license-required", "license"]),
        ["""clearance check --input orders.jsonl --rates rates.csv"""] =
            new(0, ["\"id\":\"o-1\",\"as_of\"", "\"id\":\"o-3\",\"as_of\""], Terminal: ["o-1", "o-3"]),
        ["""clearance check --input orders.csv --encoding shift_jis --output csv > results.csv"""] =
            new(0, ["id,line,as_of,from,to,item,jurisdiction,verdict", "c-1,2,2019-07-04,JP,KR,JP:3(1),JP,license-required", "c-2,3,2019-09-18,KR,JP"], Terminal: [], File: "results.csv", Records: false),
        ["""clearance check --from JP --to AE --item JP:16 --date 2024-01-01 --end-use civil --end-user "Mahan Air General Trading LLC" """.TrimEnd()] =
            new(0, ["\"verdict\":\"no-license-required\"", "csl-dpl", "MAHAN AIR GENERAL TRADING LLC"], Terminal: ["no-license-required", "csl-dpl", "warning: listed on another"]),
        ["""clearance check --from Japan --to "South Korea" --item "JP:3(1)" --date 2019-07-04 --held individual,general-bulk --informed no"""] =
            new(0, ["\"verdict\":\"license-required\"", "\"covered_by\":\"individual\""], Terminal: ["license-required", "individual (held"]),
        ["""clearance check --from US --to CN --item US:EAR99 --date 2019-05-15 --end-use civil --end-user "Huawei Technologies Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"no-license-required\"", "not yet listed on 2019-05-15: listed from 2019-05-16"], Terminal: ["no-license-required", "csl-el"]),
        ["""clearance check --from US --to CN --item US:EAR99 --date 2019-05-16 --end-use civil --end-user "Huawei Technologies Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"rule\":\"us.entity-list\"", "review policy: Presumption of denial"], Terminal: ["license-required", "us.entity-list"]),
        ["""clearance check --from US --to CN --item US:3A090.a --date 2022-10-06 --end-use civil --end-user "Example Computing Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"indeterminate\"", "did not exist before 7 Oct 2022"], Terminal: ["indeterminate", "3A090"]),
        ["""clearance check --from US --to CN --item US:3A090.a --date 2022-10-07 --end-use civil --end-user "Example Computing Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"rule\":\"us.ac.2022.china\""], Terminal: ["license-required", "us.ac.2022.china"]),
        ["""clearance check --from US --to JP --item US:3A090.a --date 2025-05-15 --end-use civil --end-user "Example Computing Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"rule\":\"us.ac.2025.ai-diffusion\"", "would not enforce"], Terminal: ["license-required", "us.ac.2025.ai-diffusion"]),
        ["""clearance check --from US --to CN --item US:EAR99 --date 2019-05-16 --end-use civil --end-user "Example Trading Co., Ltd." --consignee "Huawei Technologies Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"rule\":\"us.entity-list\"", "a party to the transaction (consignee): us_entity_list: listed from 2019-05-16"], Terminal: ["license-required", "us.entity-list"]),
        ["""clearance check --from US --to CN --item US:EAR99 --date 2019-05-16 --end-use civil --end-user "Example Trading Co., Ltd." --purchaser "Huawei Technologies Co., Ltd." """.TrimEnd()] =
            new(0, ["\"verdict\":\"license-required\"", "\"rule\":\"us.entity-list\"", "a party to the transaction (purchaser): us_entity_list: listed from 2019-05-16"], Terminal: ["license-required", "us.entity-list"]),
        ["""clearance lists import --format meti-eul ../shared/lists/meti_eul/meti_eul_2025-09-29.csv"""] =
            new(0, ["meti-eul version 1: 835 entities"], Records: false),
        ["""clearance lists import --format ofac-csv ../shared/lists/ofac_sdn/sdn_2024-05-03.csv"""] =
            new(0, ["ofac-sdn version 1: 14,965 entities"], Records: false),
        ["""clearance lists import --format csl-csv ../shared/lists/csl_full/consolidated_2026-07-31.csv"""] =
            new(0, ["csl version 1: 25,921 entities"], Records: false),
        ["""clearance lists update"""] =
            new(0, ["ofac-sdn: ofac-sdn version 1", "un-sc: un-sc version 1: 1,003 entities", "meti-eul: skipped, no download URL"], Records: false),
        ["""clearance lists status"""] =
            new(0, ["\"list\":\"meti-eul\"", "\"list\":\"ofac-sdn\"", "\"list\":\"un-sc\"", "\"list\":\"csl\""], Terminal: ["Lists in", "csl", "meti-eul"]),
        ["""clearance screen "Beihang University" --country CN"""] =
            new(3, ["\"list\":\"meti-eul\",\"entity_id\":\"501\"", "\"screened_against\":["], Terminal: ["meti-eul", "501", "2 match(es)"]),
        ["""clearance screen "김정은" --type person --output json"""] =
            new(3, ["\"query\":\"김정은\"", "KIM, Jong Un"]),
        ["""clearance screen --input parties.csv > matches.jsonl"""] =
            new(3, ["\"id\":\"p-1\"", "Beihang", "\"id\":\"p-2\",\"total\":0"], Terminal: [], File: "matches.jsonl"),
        ["""clearance screen "NAME" --list meti-eul:eul.csv"""] =
            new(0, ["\"query\":\"NAME\",\"total\":0"], Terminal: ["NAME: no match at or above 0.80"]),
        ["""clearance screen "Mahan Airlines" --limit 3"""] =
            new(3, ["\"list\":\"ofac-sdn\",\"entity_id\":\"12927\"", "\"listings\":[{\"list\":\"ofac-sdn\",\"entity_id\":\"12927\",\"name\":\"MAHAN AIR\",\"consequence\":\"prohibition\"", "{\"list\":\"csl-sdn\",\"entity_id\":\"8254\""],
                Terminal: ["ofac-sdn 12927", "csl-sdn 8254", "3 match(es)"]),
        ["""clearance screen "Kim Chol" --limit 3"""] =
            new(3, ["\"truncated\":true", "KIM, Chol"], Terminal: ["showing 3 of", "(--limit 3)"]),
        ["""clearance screen --input - --input-format csv --encoding shift_jis < parties.csv"""] =
            new(3, ["\"id\":\"p-1\"", "Beihang"], Terminal: ["p-1", "Beihang University", "1 with matches"]),
        ["""clearance rules show --jurisdiction JP --date 2019-09-01 --country KR"""] =
            new(0, ["\"country_groups\":[\"Group B\"]", "\"id\":\"jp.kr-2019-07.general-bulk-withdrawn\""], Terminal: ["KR is in Group B on 1 Sep 2019", "(last day)"]),
        ["""clearance rules timeline --jurisdiction JP --country "South Korea" """.TrimEnd()] =
            new(0, ["\"country\":\"KR\"", "\"from\":\"2019-08-28\",\"to\":\"2023-07-21\",\"last_day\":\"2023-07-20\""], Terminal: ["28 Aug 2019 – 20 Jul 2023", "from 21 Jul 2023"]),
        ["""clearance rules diff --jurisdiction JP --since 2019-07-01 --until 2019-09-01"""] =
            new(0, ["\"since\":\"2019-07-01\",\"until\":\"2019-09-01\"", "\"effective\":\"2019-08-28\",\"kind\":\"group-change\",\"subject\":\"KR\""],
                Terminal: ["changes after 1 Jul 2019, up to and including 1 Sep 2019", "KR: Group A (Appended Table 3) → Group B"]),
        ["""clearance rules timeline --jurisdiction US --item 3A090"""] =
            new(0, ["\"item\":\"US:3A090\",\"country\":null", "\"list_as_of\":\"2026-07-23\"", "\"effective\":\"2022-10-07\",\"kind\":\"rule-start\"", "\"effective\":\"2023-11-17\"", "\"effective\":\"2024-12-02\"", "\"effective\":\"2025-05-15\""],
                Terminal: ["US:3A090 under United States (EAR)", "AT1 from 7 Oct 2022", "not dated back", "17 Nov 2023", "2 Dec 2024", "15 May 2025"]),
        ["""clearance rules timeline --jurisdiction US --item 3A090.a --country CN"""] =
            new(0, ["\"item\":\"US:3A090.a\",\"country\":\"CN\"", "\"effective\":\"2025-05-15\""], Terminal: ["US:3A090.a under United States (EAR), to CN", "15 May 2025"]),
        ["""clearance rules timeline --jurisdiction US --item 3A090 --since 2024-01-01 --until 2025-01-13"""] =
            new(0, ["\"item\":\"US:3A090\",\"country\":null,\"since\":\"2024-01-01\",\"until\":\"2025-01-13\"", "\"effective\":\"2024-12-02\",\"kind\":\"rule-start\""],
                Terminal: ["Only 1 Jan 2024 – 12 Jan 2025 (last day)", "2 Dec 2024", "change(s) on 1 day(s)"]),
        ["""clearance rules diff --jurisdiction JP --since 2019-07-01 --until 2019-09-01 --known-as-of 2019-07-15"""] =
            new(0, ["\"effective\":\"2019-07-04\",\"kind\":\"rule-start\"", "\"known\":\"2019-07-01\""], Terminal: ["4 Jul 2019", "1 Jul 2019", "known"]),
        ["""clearance check --from JP --to KR --item JP:6 --date 2019-09-02 --known-as-of 2019-08-01"""] =
            new(0, ["\"general-bulk\"", "+known-2019-08-01"], Terminal: ["license-required", "general-bulk"]),
        ["""clearance impact --orders docs/examples/2019-orders.jsonl --known-as-of 2019-07-01"""] =
            new(0, ["\"license_needed\":[\"individual\"]", "\"known\":\"2019-07-01\"", "\"summary\":{\"known_as_of\":\"2019-07-01\""],
                Terminal: ["Impact as known on 1 Jul 2019", "at risk", "90-day review"]),
        ["""clearance impact --orders docs/examples/2019-orders.jsonl --known-as-of 2019-08-02 --output json > impact.jsonl"""] =
            new(0, ["\"rule\":\"KR table-3\"", "\"summary\":{\"known_as_of\":\"2019-08-02\""], Terminal: [], File: "impact.jsonl"),
        ["""clearance impact --orders docs/examples/2019-orders.jsonl --known-as-of 2019-07-01 --html impact-2019-07-01.html"""] =
            new(0, ["as known on 1 Jul 2019</h1>", "<svg ", "ship dates at risk", "jp.kr-2019-07.general-bulk-withdrawn"],
                Terminal: ["Impact as known on 1 Jul 2019", "at risk"], File: "impact-2019-07-01.html", Records: false),
        ["""clearance rules diff --jurisdiction JP --since 2026-12-01 --until 2027-12-31 --with docs/examples/korea-leaves-group-a-2027.yaml"""] =
            new(0, ["\"effective\":\"2027-01-01\",\"kind\":\"membership-end\",\"subject\":\"KR table-3\"", "\"known\":\"2026-11-20\""],
                Terminal: ["KR leaves Appended Table 3", "1 Jan 2027"]),
        ["""clearance impact --orders docs/examples/2027-orders.jsonl --with docs/examples/korea-leaves-group-a-2027.yaml --known-as-of 2026-12-01"""] =
            new(0, ["\"id\":\"SO-2701-2\"", "\"rule\":\"KR table-3\"", "+overlay-sha256:"], Terminal: ["SO-2701", "at risk"]),
        ["""clearance licenses add --number METI-2019-0001 --jurisdiction JP --type individual --holder "Example Chemical Co." --item "JP:7(19)" --destination KR --consignee "Korea Semi Co." --valid-from 2019-08-08 --valid-to 2020-08-07 --quantity "500 kg" """.TrimEnd()] =
            new(0, ["added licence METI-2019-0001 (JP individual, granted)"], Records: false, Terminal: ["licence METI-2019-0001"]),
        ["""clearance licenses import --input licenses.jsonl"""] =
            new(0, ["1 licence(s) added, 0 unchanged, 0 line(s) with errors"], Records: false, Terminal: ["0 line(s) with errors"]),
        ["""clearance licenses list --expiring-within 90d --date 2020-06-01"""] =
            new(0, ["\"number\":\"METI-2019-0001\"", "\"quantity_remaining\":500"], Terminal: ["METI-2019-0001", "500 kg"]),
        ["""clearance licenses show METI-2019-0001"""] =
            new(0, ["\"transitions\":[{\"state\":\"granted\"", "\"drawdowns\":[]"], Terminal: ["500 kg left of 500 kg", "(last day)"]),
        ["""clearance licenses suspend METI-2019-0001 --reason "under review" --date 2019-10-01"""] =
            new(0, ["licence METI-2019-0001 suspended from 2019-10-01"], Records: false, Terminal: ["METI-2019-0001"]),
        ["""clearance shipments submit --input orderbook.jsonl"""] =
            new(0, ["\"id\":\"SO-1/1\",\"status\":\"held\"", "\"review_days\":90,\"earliest_decision\":\"2019-10-08\"", "\"id\":\"SO-1/2\",\"status\":\"released\"", "\"id\":\"SO-2/1\",\"status\":\"held\""],
                Terminal: ["SO-1/1", "held", "released", "submitted before"]),
        ["""clearance licenses add --number METI-2019-0002 --jurisdiction JP --type individual --holder "Example Chemical Co." --item "JP:7(19)" --destination KR --valid-from 2019-08-08 --valid-to 2020-08-07 --quantity "500 kg" --no-recheck"""] =
            new(0, ["added licence METI-2019-0002 (JP individual, granted)"], Records: false, Terminal: ["licence METI-2019-0002"]),
        ["""clearance shipments assign SO-2/1 --license METI-2019-0002"""] =
            new(0, ["\"id\":\"SO-2/1\",\"status\":\"released\"", "\"license\":\"METI-2019-0002\"", "\"action\":\"assign\""], Terminal: ["released", "METI-2019-0002"]),
        ["""clearance shipments list --status held"""] =
            new(0, ["\"id\":\"SO-1/1\",\"status\":\"held\""], Terminal: ["SO-1/1", "license-required"]),
        ["""clearance shipments show SO-1/1"""] =
            new(0, ["\"earliest_decision\":\"2019-10-08\"", "\"history\":[{"], Terminal: ["SO-1/1", "earliest_decision=\"2019-10-08\""]),
        ["""clearance lists import --db decisions.db --format meti-eul ../shared/lists/meti_eul/meti_eul_2025-09-29.csv"""] =
            new(0, ["meti-eul version 1"], Records: false),
        ["""clearance lists import --db decisions.db --format ofac-csv --allow-older ../shared/lists/ofac_sdn/sdn_2024-01-31.csv"""] =
            new(0, ["ofac-sdn version", "source date 2024-01-31"], Records: false),
        ["""clearance shipments submit --db decisions.db --input dubai.jsonl"""] =
            new(0, ["\"id\":\"SO-9/1\",\"status\":\"held\"", "\"entity\":\"12191\"", "\"id\":\"SO-9/2\",\"status\":\"released\""], Terminal: ["SO-9/1", "12191"]),
        ["""clearance screening decide --db decisions.db --party "Aero Express Intercontinental" --entity ofac-sdn:12191 --decision false-positive --reason "Aero Express Intercontinental FZE of Dubai, not the Mexican airline" --actor analyst"""] =
            new(0, ["\"decision\":\"false-positive\"", "\"entity\":\"ofac-sdn:12191\"", "\"status\":\"applies\""],
                Stderr: ["recheck: 2 line(s) rechecked, 1 changed"], Terminal: ["applies", "1 decision(s)"]),
        ["""clearance lists import --db decisions.db --format ofac-csv ../shared/lists/ofac_sdn/sdn_2024-04-26.csv"""] =
            new(0, ["ofac-sdn version", "41 changed"], Stderr: ["recheck: 2 line(s) rechecked, 1 changed"], Records: false, Terminal: ["ofac-sdn version"]),
        ["""clearance shipments show --db decisions.db SO-9/1"""] =
            new(0, ["\"status\":\"held\"", "\"lapsed_decision\":{\"decision\":\"false-positive\"", "\"action\":\"recheck\""], Terminal: ["SO-9/1", "lapsed_decision"]),
        ["""clearance screening decisions --db decisions.db"""] =
            new(0, ["\"status\":\"lapsed: entry changed\""], Terminal: ["lapsed", "decision(s)"]),
        ["""clearance audit verify --db decisions.db"""] =
            new(0, ["audit trail intact:"], Records: false, Terminal: ["audit trail intact:"]),
        ["""clearance audit replay 4"""] =
            new(0, ["\"sequence\":4,\"action\":\"shipment.submit\",\"subject\":\"SO-1/1\"", "\"intact\":true,\"same\":true,\"differences\":[]"], Terminal: ["4 shipment.submit SO-1/1", "same"]),
        ["""clearance reports holds --detail"""] =
            new(0, ["\"by\":\"reason\",\"key\":\"license-required\"", "\"by\":\"destination\",\"key\":\"KR\",\"lines\":1", "\"ids\":[\"SO-1/1\"]"],
                Terminal: ["held lines by reason", "held lines by destination", "SO-1/1", "held line(s); the longest held since"]),
        ["""clearance reports licenses --within 90d --date 2020-06-01"""] =
            new(0, ["\"number\":\"METI-2019-0001\",\"jurisdiction\":\"JP\",\"type\":\"individual\",\"holder\":\"Example Chemical Co.\",\"state\":\"suspended\"", "\"days_left\":67,\"expiring\":true", "\"drawn\":300,\"remaining\":200,\"used_percent\":60"],
                Terminal: ["300 / 500 kg", "60 %", "3 licence(s); 2 expiring within 90 days of 2020-06-01"]),
        ["""clearance reports alerts"""] =
            new(0, ["\"party\":\"Beihang University\",\"roles\":[\"end_user\"],\"list\":\"meti-eul\",\"entity\":\"501\"", "\"ids\":[\"SO-3/1\"]"],
                Terminal: ["Beihang University", "meti-eul 501", "awaiting review, holding 1 line(s)"]),
        ["""clearance reports overrides"""] =
            new(0, [], Terminal: ["No lines released by officer override."]),
        ["""clearance audit verify"""] =
            new(0, ["audit trail intact:"], Records: false, Terminal: ["audit trail intact:"]),
        ["""clearance audit export --since 2019-07-01 > audit.jsonl"""] =
            new(0, ["\"action\":\"license.add\""], Terminal: [], File: "audit.jsonl"),
        ["""clearance keys create --name erp --role operator --output json"""] =
            new(0, ["{\"name\":\"erp\",\"role\":\"operator\",\"key\":\"clr_"],
                Terminal: ["a key named 'erp' exists already"], TerminalExit: 1,
                Note: "the terminal run repeats it on the same database: a name is never given twice"),
        ["""clearance keys list"""] =
            new(0, ["\"name\":\"erp\",\"role\":\"operator\""], Terminal: ["erp", "operator", "1 key(s)"]),
        ["""clearance serve"""] =
            new(0, ["listening on http://127.0.0.1:"], Records: false, Terminal: ["listening on http://127.0.0.1:"],
                Note: "long-running: the harness serves on a free port and stops it with SIGINT once it answers /health/live (ReadmeFixture.Shell)"),
        ["""clearance content validate"""] =
            new(0, ["\"jurisdiction\":\"JP\"", "\"content_version\":\"sha256:"], Terminal: ["valid, content version sha256:", "jp.yaml"]),
        ["""clearance content validate my-rules"""] =
            new(1, [], Stderr: ["kr.yaml:", "'coverage_from': '2019-02-30' is not a date", "error: the content has 1 error(s)"],
                Terminal: ["'coverage_from': '2019-02-30' is not a date", "error: the content has 1 error(s)"]),
    };

    /// <summary>Every command of the README, for the theories.</summary>
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var command in ReadmeCommand.Read(ReadmeFixture.ReadmePath))
        {
            data.Add(command.Text);
        }

        return data;
    }

    [Fact]
    public void Readme_EveryCommandHasAnExpectation()
    {
        var commands = ReadmeCommand.Read(ReadmeFixture.ReadmePath);
        var missing = Unexpected(commands);

        Assert.True(commands.Count >= 20, $"only {commands.Count} commands found in the README: is the extraction broken?");
        Assert.True(missing.Count == 0,
            "The README shows commands that no test runs. Add an entry for each to ReadmeCommandTests.Expected (the exit code the README "
            + "documents and what it prints), keyed by the command exactly as below:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Readme_EveryExpectationIsStillInTheReadme()
    {
        var commands = ReadmeCommand.Read(ReadmeFixture.ReadmePath).Select(c => c.Text).ToHashSet(StringComparer.Ordinal);
        var stale = Expected.Keys.Where(k => !commands.Contains(k)).ToList();

        Assert.True(stale.Count == 0, "ReadmeCommandTests.Expected has entries for commands the README no longer shows; update or remove them:\n" + string.Join("\n", stale));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void ReadmeCommand_OutputRedirected_ExitsAsDocumentedAndPrintsIt(string command)
    {
        var expect = ExpectationFor(command);
        var run = fixture.Redirected(command);
        var output = expect.File is null ? run.Stdout : File.ReadAllText(Path.Combine(fixture.WorkDir, expect.File));
        var context = $"{command}\nexit {run.ExitCode}\n--- {(expect.File ?? "stdout")}:\n{Shorten(output)}\n--- stderr:\n{Shorten(run.Stderr)}";

        Assert.True(run.ExitCode == expect.Exit, $"exit code {run.ExitCode}, the README documents {expect.Exit}\n{context}");
        foreach (var shown in expect.Shows)
        {
            Assert.True(output.Contains(shown, StringComparison.Ordinal), $"expected '{shown}' in the output\n{context}");
        }

        foreach (var shown in expect.Stderr ?? [])
        {
            Assert.True(run.Stderr.Contains(shown, StringComparison.Ordinal), $"expected '{shown}' on standard error\n{context}");
        }

        if (expect.Records)
        {
            AssertJsonLines(output, expect.RawUtf8, context);
        }

        AssertNoCrash(run.Stdout + run.Stderr, context);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void ReadmeCommand_Terminal80Columns_ExitsAsDocumentedAndFits(string command)
    {
        var expect = ExpectationFor(command);
        var run = fixture.Terminal(command);
        var screen = ReadmeFixture.Screen(run.Stdout);
        var context = $"{command}\nexit {run.ExitCode}\n--- screen:\n{Shorten(screen)}";

        Assert.True(run.ExitCode == (expect.TerminalExit ?? expect.Exit), $"exit code {run.ExitCode}, the README documents {expect.TerminalExit ?? expect.Exit}\n{context}");
        foreach (var shown in expect.Terminal ?? expect.Shows)
        {
            Assert.True(screen.Contains(shown, StringComparison.Ordinal), $"expected '{shown}' on the screen\n{context}");
        }

        if (expect.File is not null)
        {
            var written = File.ReadAllText(Path.Combine(fixture.WorkDir, expect.File));
            Assert.All(expect.Shows, shown => Assert.True(written.Contains(shown, StringComparison.Ordinal), $"expected '{shown}' in {expect.File}\n{context}"));
        }

        AssertNoCrash(screen, context);
        foreach (var line in screen.Split('\n').Where(l => l.AsSpan().IndexOfAny("│┃║╭╮╰╯┌┐└┘├┤") >= 0))
        {
            Assert.True(Columns(line) <= 80, $"a table line of {Columns(line)} columns on an 80-column terminal:\n{line}\n{context}");
        }
    }

    /// <summary>The README commands that have no entry in <see cref="Expected"/>, as <c>README.md:LINE: command</c>.</summary>
    internal static List<string> Unexpected(IEnumerable<ReadmeCommand> commands) =>
        [.. commands.Where(c => !Expected.ContainsKey(c.Text)).Select(c => $"README.md:{c.Line}: {c.Text}")];

    /// <summary>The columns <paramref name="line"/> takes on a terminal: escape sequences none, East Asian wide characters two.</summary>
    public static int Columns(string line)
    {
        var text = ReadmeFixture.Screen(line);
        var columns = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            columns += Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format ? 0
                : IsWide(rune.Value) ? 2 : 1;
        }

        return columns;
    }

    private static bool IsWide(int c) =>
        c is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF)
            or (>= 0x4E00 and <= 0x9FFF) or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F)
            or (>= 0x20000 and <= 0x3FFFD);

    private static Expect ExpectationFor(string command) =>
        Expected.TryGetValue(command, out var expect)
            ? expect
            : throw new Xunit.Sdk.XunitException($"The README shows '{command}', which no test covers: add an entry for it to ReadmeCommandTests.Expected.");

    private static void AssertJsonLines(string output, bool rawUtf8, string context)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var record = JsonDocument.Parse(line);
                Assert.True(record.RootElement.ValueKind == JsonValueKind.Object, $"a JSON Lines record is not an object: {Shorten(line)}\n{context}");
            }
            catch (JsonException e)
            {
                Assert.Fail($"redirected output is not JSON Lines ({e.Message}): {Shorten(line)}\n{context}");
            }

            if (rawUtf8)
            {
                var escaped = Regex.Matches(line, @"(?<!\\)\\u([0-9a-fA-F]{4})").Select(m => int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                Assert.False(escaped.Any(c => c >= 0x80), $"JSON escapes non-ASCII text as \\uXXXX instead of raw UTF-8: {Shorten(line)}\n{context}");
            }
        }
    }

    private static void AssertNoCrash(string text, string context)
    {
        Assert.False(text.Contains("Unhandled exception", StringComparison.Ordinal), $"a crash\n{context}");
        Assert.False(Regex.IsMatch(text, @"^\s+at \S+\(", RegexOptions.Multiline), $"a stack trace\n{context}");
        Assert.False(text.Contains("Exception:", StringComparison.Ordinal), $"an exception\n{context}");
    }

    private static string Shorten(string text) => text.Length <= 6000 ? text : text[..6000] + $"\n… ({text.Length:N0} characters in all)";
}

/// <summary>How commands are found in a README; no command runs here.</summary>
public sealed class ReadmeCommandExtractionTests
{
    [Fact]
    public void Read_IndentedCommands_ContinuationsJoinedCommentsDropped()
    {
        var readme = Path.Combine(Path.GetTempPath(), $"clearance-readme-{Guid.NewGuid():N}.md");
        File.WriteAllText(readme, string.Join("\n",
            "Text mentioning clearance check --from JP, not a command.",
            "",
            "    clearance check --from JP --to KR --item \"JP:3(1)\" --date 2019-07-03     # a comment",
            "    clearance screen \"No. #5 Co\" --country CN \\",
            "        --limit 3   # continued",
            "    dotnet run --project src/Clearance.Cli -- rules show -j JP --date 2019-09-01",
            "        clearance indented-further is part of another block",
            "    {\"id\": \"o-1\"}",
            "    ./test.sh"));
        try
        {
            var commands = ReadmeCommand.Read(readme);

            Assert.Equal(
                [
                    new ReadmeCommand(3, "clearance check --from JP --to KR --item \"JP:3(1)\" --date 2019-07-03"),
                    new ReadmeCommand(4, "clearance screen \"No. #5 Co\" --country CN --limit 3"),
                    new ReadmeCommand(6, "dotnet run --project src/Clearance.Cli -- rules show -j JP --date 2019-09-01"),
                ],
                commands);
            Assert.Equal(["README.md:4: clearance screen \"No. #5 Co\" --country CN --limit 3"], ReadmeCommandTests.Unexpected(commands.Skip(1).Take(1)));
        }
        finally
        {
            File.Delete(readme);
        }
    }
}

/// <summary>What the README documents for one command.</summary>
/// <param name="Exit">The exit code.</param>
/// <param name="Shows">Text the command prints: on standard output when redirected (in <paramref name="File"/> when the command redirects there).</param>
/// <param name="Terminal">Text on the 80-column terminal; <paramref name="Shows"/> when null, nothing to look for when empty.</param>
/// <param name="File">The file the command line redirects its output to, relative to the working directory.</param>
/// <param name="Stderr">Text on standard error when redirected.</param>
/// <param name="Records">Redirected output is JSON Lines: each line an object.</param>
/// <param name="RawUtf8">JSON carries non-ASCII text as raw UTF-8, never <c>\uXXXX</c>.</param>
/// <param name="Note">Where this branch's code still differs from the README, and what will change it.</param>
/// <param name="TerminalExit">The terminal run's exit code when it differs (a state-changing command that refuses to run twice); <paramref name="Exit"/> when null.</param>
internal sealed record Expect(
    int Exit, string[] Shows, string[]? Terminal = null, string? File = null, string[]? Stderr = null, bool Records = true, bool RawUtf8 = true, string? Note = null,
    int? TerminalExit = null);

/// <summary>A command line the README shows.</summary>
/// <param name="Line">The README line it starts on.</param>
/// <param name="Text">As the README shows it: continuation lines joined with one space, the trailing <c># comment</c> removed.</param>
internal sealed record ReadmeCommand(int Line, string Text)
{
    private static readonly string[] Prefixes = ["clearance ", "dotnet run --project src/Clearance.Cli -- "];

    /// <summary>
    /// The commands of a README: lines indented by exactly four spaces (a Markdown code block) that start with
    /// <c>clearance </c> or <c>dotnet run --project src/Clearance.Cli -- </c>, with their <c>\</c> continuation lines.
    /// </summary>
    public static List<ReadmeCommand> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var commands = new List<ReadmeCommand>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("    ", StringComparison.Ordinal) || lines[i].Length < 5 || lines[i][4] == ' ' || !Prefixes.Any(p => lines[i][4..].StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            var start = i;
            var text = StripComment(lines[i][4..]);
            while (text.EndsWith('\\') && i + 1 < lines.Length)
            {
                text = text[..^1].TrimEnd() + " " + StripComment(lines[++i].Trim());
            }

            commands.Add(new ReadmeCommand(start + 1, text));
        }

        return commands;
    }

    /// <summary>The line without a trailing <c># comment</c> (a <c>#</c> after white space, outside quotes), trimmed at the end.</summary>
    public static string StripComment(string line)
    {
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i].TrimEnd();
            }
        }

        return line.TrimEnd();
    }
}

/// <summary>The result of one run.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Standard output (for a terminal run: everything the terminal showed).</param>
/// <param name="Stderr">Standard error (empty for a terminal run: it goes to the terminal).</param>
public sealed record CommandRun(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// The README's world for one test class: a working directory with the README's fixture files and <c>../shared</c>, a
/// <c>clearance</c> on PATH, a database of its own with the README's lists imported once, and a local HTTP server for
/// <c>lists update</c>. See <see cref="ReadmeCommandTests"/>.
/// </summary>
public sealed class ReadmeFixture : IDisposable
{
    /// <summary>Commands that change the database: run once, in README order, before any test.</summary>
    private static readonly string[] StateChanging =
        ["clearance lists import ", "clearance lists update", "clearance lists activate ", "clearance licenses add ", "clearance licenses import ", "clearance licenses suspend ",
         "clearance shipments submit ", "clearance shipments assign ", "clearance screening decide ", "clearance shipments recheck", "clearance keys create "];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "clearance-readme-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFileServer _server;
    private readonly string _sourcesConfig;
    private readonly string _bin;
    private readonly string _db;
    private readonly Dictionary<string, CommandRun> _redirected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommandRun> _terminal = new(StringComparer.Ordinal);

    /// <summary>The repository's root (the folder of README.md and Clearance.slnx).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The README the commands come from.</summary>
    public static string ReadmePath => Path.Combine(RepoRoot, "README.md");

    /// <summary>Where every command runs: <c>../shared</c> from here is the real shared folder.</summary>
    public string WorkDir { get; }

    public ReadmeFixture()
    {
        WorkDir = Path.Combine(_root, "repo");
        _bin = Path.Combine(_root, "bin");
        _db = Path.Combine(_root, "db", "clearance.db");
        Directory.CreateDirectory(WorkDir);
        Directory.CreateDirectory(_bin);
        Directory.CreateDirectory(Path.GetDirectoryName(_db)!);
        var shared = Path.GetDirectoryName(SharedListFiles.Path())!;
        File.CreateSymbolicLink(Path.Combine(_root, "shared"), shared);
        var clearance = Path.Combine(_bin, "clearance");
        File.WriteAllText(clearance, Environment.GetEnvironmentVariable(OtherCliVariable) is { Length: > 0 } other
            ? $"#!/bin/sh\nexec '{Path.GetFullPath(other)}' \"$@\"\n"
            : $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "clearance.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(clearance, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        WriteFixtures();

        // lists/ is shared/lists; fixtures/ the list parsers' sample files, for the EU and UK lists that shared/lists lacks.
        _server = new LocalFileServer(new()
        {
            ["lists/"] = SharedListFiles.Path(),
            ["fixtures/"] = Path.Combine(RepoRoot, "tests", "Clearance.Screening.Tests", "Lists", "Fixtures"),
        });
        _sourcesConfig = WriteSourcesConfig();

        // The commands that change the database first, one after the other in README order (the redirected run first,
        // as a user would run them; the terminal run then imports the same files again, unchanged); then every other
        // command, both ways, two commands at a time (each command's two runs one after the other: they may write the
        // same file). The tests assert on these runs.
        var commands = ReadmeCommand.Read(ReadmePath).DistinctBy(c => c.Text).ToList();
        var changing = commands.Where(c => StateChanging.Any(p => c.Text.StartsWith(p, StringComparison.Ordinal))).ToList();
        foreach (var command in changing)
        {
            _redirected[command.Text] = Run(Redirect(command.Text));
        }

        foreach (var command in changing)
        {
            _terminal[command.Text] = Run(TerminalStart(command.Text));
        }

        var runs = new System.Collections.Concurrent.ConcurrentDictionary<string, (CommandRun Redirected, CommandRun Terminal)>();
        Parallel.ForEach(commands.Except(changing), new ParallelOptions { MaxDegreeOfParallelism = 2 },
            command => runs[command.Text] = (Run(Redirect(command.Text)), Run(TerminalStart(command.Text))));
        foreach (var (command, (redirected, terminal)) in runs)
        {
            _redirected[command] = redirected;
            _terminal[command] = terminal;
        }

        if (Environment.GetEnvironmentVariable(KeepRunsVariable) is { Length: > 0 } keep)
        {
            Keep(keep, commands);
        }
    }

    /// <summary>
    /// An executable to run as <c>clearance</c> instead of the built clearance.dll: another build of the same code (the
    /// Native AOT publish) is held to what the README documents by the same tests.
    /// </summary>
    public const string OtherCliVariable = "CLEARANCE_README_CLI";

    /// <summary>A folder to keep every run in (and the files the commands wrote), so that two builds' runs can be compared with diff.</summary>
    public const string KeepRunsVariable = "CLEARANCE_README_KEEP";

    /// <summary>Each command's two runs as one file per command, numbered in README order; the working directory's files beside them.</summary>
    private void Keep(string folder, IReadOnlyList<ReadmeCommand> commands)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < commands.Count; i++)
        {
            var text = new StringBuilder().Append("$ ").Append(commands[i].Text).Append('\n');
            foreach (var (mode, run) in new[] { ("redirected", _redirected[commands[i].Text]), ("terminal", _terminal[commands[i].Text]) })
            {
                text.Append("--- ").Append(mode).Append(": exit ").Append(run.ExitCode.ToString(CultureInfo.InvariantCulture)).Append("\n--- stdout\n")
                    .Append(mode == "terminal" ? Screen(run.Stdout) : run.Stdout).Append("\n--- stderr\n").Append(run.Stderr).Append('\n');
            }

            File.WriteAllText(Path.Combine(folder, $"{i:000}.txt"), text.ToString());
        }

        foreach (var file in Directory.EnumerateFiles(WorkDir))
        {
            File.Copy(file, Path.Combine(folder, "workdir-" + Path.GetFileName(file)), overwrite: true);
        }
    }

    /// <summary>The run of <paramref name="command"/> with standard output and error redirected.</summary>
    public CommandRun Redirected(string command) => _redirected.TryGetValue(command, out var run) ? run : Run(Redirect(command));

    /// <summary>The run of <paramref name="command"/> in a pseudo-terminal 80 columns wide; its output is what the terminal showed.</summary>
    public CommandRun Terminal(string command) => _terminal.TryGetValue(command, out var run) ? run : Run(TerminalStart(command));

    private ProcessStartInfo TerminalStart(string command) => new("script")
    {
        ArgumentList = { "-q", "-e", "-c", $"stty cols 80 rows 50 2>/dev/null; export COLUMNS=80 LINES=50; {Shell(command)}", "/dev/null" },
    };

    /// <summary>The text a terminal shows: escape sequences removed, CR LF as LF.</summary>
    public static string Screen(string output) =>
        Regex.Replace(output, @"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>]", "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);

    private ProcessStartInfo Redirect(string command) => new("bash") { ArgumentList = { "-c", Shell(command) } };

    /// <summary>The command line as the shell runs it: <c>dotnet run ... --</c> as <c>clearance</c>; <c>lists update</c> with the local sources.</summary>
    private string Shell(string command)
    {
        var shell = command.StartsWith("dotnet run --project src/Clearance.Cli -- ", StringComparison.Ordinal)
            ? "clearance " + command["dotnet run --project src/Clearance.Cli -- ".Length..]
            : command;
        if (shell.StartsWith("clearance lists update", StringComparison.Ordinal) && !shell.Contains(" --config", StringComparison.Ordinal))
        {
            shell += $" --config '{_sourcesConfig}'";
        }

        // A server runs until stopped: on a free port (5080 may be taken), interrupted as Ctrl+C would once it answers
        // /health/live (a fixed delay interrupted a start slowed by a loaded machine: exit 130 instead of a clean stop),
        // its exit code its own (0 after a clean shutdown). The server runs in the foreground (exec) so that SIGINT is
        // not ignored, as it would be for a background job of a non-interactive shell, and through `env
        // --default-signal=INT` because a disposition ignored on entry is inherited across exec and a shell cannot reset
        // it: a test run started in the background (`./test.sh &`, `nohup`) handed the server an ignored SIGINT, and it
        // ran until the harness's limit. The watcher gives up after 180 s, inside that limit.
        if (shell == "clearance serve")
        {
            var port = FreePort();
            shell = "( i=0; until [ $i -ge 1800 ] || { exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && read -r status <&3; } 2>/dev/null; do sleep 0.1; i=$((i+1)); done;"
                + " sleep 1; kill -INT $$ ) & exec env --default-signal=INT clearance serve --urls http://127.0.0.1:" + port;
        }

        return shell;
    }

    /// <summary>A TCP port free on the loopback now (the server binds it a moment later).</summary>
    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private CommandRun Run(ProcessStartInfo start)
    {
        try
        {
            return Start(start);
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception or IOException)
        {
            return new CommandRun(-1, "", $"the harness could not run it: {e}");
        }
    }

    private CommandRun Start(ProcessStartInfo start)
    {
        start.WorkingDirectory = WorkDir;
        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["CLEARANCE_DB"] = _db;
        start.Environment["SHELL"] = "/bin/bash";
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("CLEARANCE_TRACE");
        start.Environment.Remove("NO_COLOR");

        // Nothing a README command does may reach the network: requests to any host but this one go to a closed port.
        foreach (var proxy in new[] { "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy" })
        {
            start.Environment[proxy] = "http://127.0.0.1:9";
        }

        start.Environment["NO_PROXY"] = start.Environment["no_proxy"] = "127.0.0.1,localhost";
        var (exit, stdout, stderr) = TestProcess.Run(start, TimeSpan.FromMinutes(4));
        return new CommandRun(exit, stdout, stderr);
    }

    /// <summary>The files the README's commands name, as a user would have them.</summary>
    private void WriteFixtures()
    {
        // The worked example's order book, where the README names it (docs/examples/ of the repository).
        Directory.CreateDirectory(Path.Combine(WorkDir, "docs", "examples"));
        foreach (var example in new[] { "2019-orders.jsonl", "2027-orders.jsonl", "korea-leaves-group-a-2027.yaml" })
        {
            File.Copy(Path.Combine(RepoRoot, "docs", "examples", example), Path.Combine(WorkDir, "docs", "examples", example));
        }

        // The first order is the README's own example of an input line (wrapped there over several lines).
        Write("orders.jsonl", ReadmeExampleOrder() + "\n" + """
            {"id": "o-2", "date": "2019-07-03", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil", "held": ["general-bulk"]}
            {"id": "o-3", "date": "2024-01-01", "from": "JP", "to": "US", "item": ["JP:7(19)", "US:3B993"], "value": {"amount": 1200.50, "currency": "USD"}, "quantity": {"amount": 5, "unit": "kg"}}

            """);
        Write("orders.csv", """
            id,date,from,to,item,end_use,held,value_amount,value_currency
            c-1,2019-07-04,JP,KR,JP:3(1),civil,general-bulk,5000000,JPY
            c-2,2019-09-18,KR,JP,KR:3C002,civil,,,

            """);
        Write("licenses.jsonl", """
            {"number":"KR-MOTIE-2020-17","jurisdiction":"KR","type":"bulk","holder":"Example Korea Co.","destinations":["Japan"],"valid_from":"2020-01-01","valid_to":"2022-12-31","value":{"amount":1000000000,"currency":"KRW"}}

            """);
        // The README's order book: its example line, a line that needs no licence, one dated after the licence's grant, and
        // one to an end user on METI's End User List (held for the match: the alert of `reports alerts`).
        Write("orderbook.jsonl", ReadmeExampleLine("    {\"id\": \"SO-1/1\"") + "\n" + """
            {"id": "SO-1/2", "order": "SO-1", "line": 2, "exporter": "Example Chemical Co.", "date": "2019-07-10", "from": "JP", "to": "US", "item": "JP:16", "end_use": "civil"}
            {"id": "SO-2/1", "order": "SO-2", "line": 1, "exporter": "Example Chemical Co.", "date": "2019-08-20", "from": "JP", "to": "KR", "item": "JP:7(19)", "end_use": "civil", "consignee": "Korea Semi Co.", "quantity": {"amount": 300, "unit": "kg"}}
            {"id": "SO-3/1", "order": "SO-3", "line": 1, "exporter": "Example Chemical Co.", "date": "2019-07-12", "from": "JP", "to": "CN", "item": "JP:16", "end_use": "civil", "end_user": "Beihang University"}

            """);
        // The README's line to Dubai whose consignee the January 2024 SDN list names, and one that screening passes.
        Write("dubai.jsonl", ReadmeExampleLine("    {\"id\": \"SO-9/1\"") + "\n" + """
            {"id": "SO-9/2", "exporter": "Example Chemical Co.", "date": "2024-02-01", "from": "JP", "to": "AE", "item": "JP:16", "end_use": "civil", "end_user": "Example Trading FZE", "consignee": "Gulf Packaging LLC"}

            """);
        Write("rates.csv", """
            date,base,quote,rate
            2019-07-01,USD,JPY,107.9
            2024-01-01,USD,JPY,141.0

            """);
        Write("parties.csv", """
            id,name,country,type,dob,address
            p-1,Beihang University,CN,entity,,
            p-2,Example Trading Co.,JP,entity,,

            """);

        // The header and the first 20 entries of the real METI End User List.
        Write("eul.csv", string.Join("\n", File.ReadLines(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).Take(21)) + "\n");

        // Content a user authored, with one mistake: the built-in Korean file with an impossible coverage date.
        var korean = File.ReadAllText(Path.Combine(RepoRoot, "src", "Clearance.Content", "Rules", "kr.yaml"));
        Directory.CreateDirectory(Path.Combine(WorkDir, "my-rules"));
        Write(Path.Combine("my-rules", "kr.yaml"), Regex.Replace(korean, @"coverage_from: *\S+", "coverage_from: 2019-02-30", RegexOptions.None, TimeSpan.FromSeconds(1)));
    }

    /// <summary>The README's example input line (<c>{"id": "o-1", ...</c>), its wrapped lines joined.</summary>
    private static string ReadmeExampleOrder() => ReadmeExampleLine("    {\"id\": \"o-1\"");

    /// <summary>The README's example JSON line that starts with <paramref name="prefix"/>, its wrapped lines joined.</summary>
    private static string ReadmeExampleLine(string prefix)
    {
        var lines = File.ReadAllLines(ReadmePath);
        var start = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(start >= 0, $"the README no longer shows the example input line {prefix.Trim()} ...: update ReadmeFixture.WriteFixtures");
        var json = lines[start].Trim();
        for (var i = start + 1; i < lines.Length && lines[i].StartsWith("     ", StringComparison.Ordinal); i++)
        {
            json += " " + lines[i].Trim();
        }

        using var parsed = JsonDocument.Parse(json); // the README's example is valid JSON
        return json;
    }

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(WorkDir, name), content, new UTF8Encoding(false));

    /// <summary>
    /// The <c>--config</c> for the README's <c>lists update</c>: every default source, with its files served from the real
    /// files in shared/lists (EU and UK, which shared/lists lacks: the parsers' sample files in the repository); a source
    /// this table has no file for gets no URL and is skipped, so nothing is downloaded from outside.
    /// </summary>
    private string WriteSourcesConfig()
    {
        var served = new Dictionary<(string Source, string File), string>
        {
            [("ofac-sdn", "sdn.csv")] = "lists/ofac_sdn/sdn_2024-05-03.csv",
            [("ofac-nonsdn", "cons_prim.csv")] = "lists/ofac_consolidated_nonsdn/cons_prim.csv",
            [("ofac-nonsdn", "cons_add.csv")] = "lists/ofac_consolidated_nonsdn/cons_add.csv",
            [("ofac-nonsdn", "cons_alt.csv")] = "lists/ofac_consolidated_nonsdn/cons_alt.csv",
            [("ofac-nonsdn", "cons_comments.csv")] = "lists/ofac_consolidated_nonsdn/cons_comments.csv",
            [("un-sc", "consolidated.xml")] = "lists/un/UN_consolidated_2026-02-27.xml",
            [("csl", "consolidated.csv")] = "lists/csl_full/consolidated_2026-07-31.csv",
            [("eu-fsf", "eu_fsf.xml")] = "fixtures/eu_fsf_sample.xml",
            [("uk", "UK-Sanctions-List.xml")] = "fixtures/uk_sanctions_sample.xml",
        };
        var sources = ListUpdate.Defaults.Select(s => s with
        {
            Files = [.. s.Files.Where(f => served.ContainsKey((s.Id, f.Name))).Select(f => new UpdateFile(_server.BaseUrl + served[(s.Id, f.Name)], f.Name))],
            Note = s.Note ?? "no local file for this source in the README test",
        });
        var path = Path.Combine(_root, "sources.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { sources }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "Clearance.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no README.md with Clearance.slnx above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
