using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Clearance.Audit;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening;
using Clearance.Screening.Matching;
using Clearance.Store;

namespace Clearance.Application;

/// <summary>A field whose replayed value differs from the recorded one.</summary>
/// <param name="Field">Where: <c>determination.verdict</c>, <c>reasons[0].score</c>, <c>status</c>...</param>
/// <param name="Recorded">The recorded value as JSON (<c>null</c> when the record has none).</param>
/// <param name="Replayed">The replayed value as JSON (<c>null</c> when the replay has none).</param>
public sealed record ReplayDifference(string Field, string Recorded, string Replayed);

/// <summary>A recorded determination evaluated again, and what differs.</summary>
/// <param name="Record">The audit record replayed.</param>
/// <param name="Intact">Whether the record still matches its hash (false: it was altered after it was recorded; <c>audit verify</c> says more).</param>
/// <param name="Differences">The fields that differ; empty when the replay gives the same answer.</param>
public sealed record ReplayResult(AuditRecord Record, bool Intact, IReadOnlyList<ReplayDifference> Differences)
{
    /// <summary>Whether the replay gives the recorded answer.</summary>
    public bool Same => Differences.Count == 0;
}

/// <summary>Why a record cannot be replayed (no such record, no determination in it, its content or list version not kept).</summary>
public sealed class AuditReplayException(string message) : Exception(message);

/// <summary>
/// <c>audit replay</c>: evaluates a recorded determination again, with the content version and the list versions its
/// audit record names (the content from the versions the store keeps, the screening index built in memory from the
/// entities of those list versions), and compares the answer with the recorded one. What the replay can decide again
/// is what the check decided: the determination, and the reasons it gives a line (screening matches, missing facts,
/// embargo, the licence requirement). Which licence covered the line depended on the ledger at that moment, so the
/// replay only requires the recorded status and licence to be consistent with the replayed reasons.
/// </summary>
public sealed class AuditReplay(ShipmentStore store, ListStore lists)
{
    private static readonly HashSet<string> LicenseCodes = ["license-required", "license-balance"];

    // Added by the store when a licence came close; they depend on the ledger, not on the check.
    private static readonly HashSet<string> LedgerFields = ["closest_license", "fit"];

    /// <summary>The replay of the database at <paramref name="location"/> (as <see cref="DatabaseLocation.Resolve"/> gives it).</summary>
    /// <exception cref="ListStoreException">The database cannot be opened.</exception>
    public static AuditReplay Open(string location) => new(ShipmentStore.Open(location), ListStore.Open(location));

    /// <summary>Replays the record numbered <paramref name="sequence"/>.</summary>
    /// <exception cref="AuditReplayException">No such record, no determination in it, or its content or a list version is not kept.</exception>
    public ReplayResult Replay(long sequence)
    {
        var record = store.Audit.Find(sequence)
            ?? throw new AuditReplayException($"no audit record {sequence.ToString(CultureInfo.InvariantCulture)} (the trail has {store.Audit.Head().Count.ToString(CultureInfo.InvariantCulture)})");
        var outputs = Parse(record.Outputs, record, "outputs");
        if (outputs["determination"] is not JsonObject recorded)
        {
            throw new AuditReplayException($"record {Name(record)} holds no determination to replay" +
                (outputs["repeated"] is not null ? " (a repeated submit: it returned the line stored before; replay the record of the first submit)" : ""));
        }

        var line = Line(Parse(record.Inputs, record, "inputs"), recorded, record);
        var service = new CheckService(new Evaluator(Content(record)), new EndUserScreening(new Lazy<ScreeningIndex?>(Index(record))));
        var checkedLine = service.Check(line);
        if (checkedLine.Result is not { } result)
        {
            throw new AuditReplayException($"record {Name(record)}: the recorded line no longer checks: {checkedLine.Error!.Message}");
        }

        var buffer = OutputBuffer.InMemory();
        new ResultJson(includeTrace: false).Write(checkedLine, buffer);
        var determination = Encoding.UTF8.GetString(buffer.Written).TrimEnd('\n');
        var submission = ShipmentWorkflow.Decide(result, determination);
        var differences = new List<ReplayDifference>();
        Compare("determination", recorded, JsonNode.Parse(determination), differences);
        CompareOutcome(outputs, submission, differences);
        return new ReplayResult(record, AuditChain.HashOf(record) == record.Hash, differences);
    }

    /// <summary>The reasons, the status and the licence recorded, against what the replayed check decides of them.</summary>
    private static void CompareOutcome(JsonObject outputs, ShipmentSubmission replayed, List<ReplayDifference> differences)
    {
        var reasons = outputs["reasons"] as JsonArray ?? [];
        var recordedOpen = new JsonArray([.. reasons.Where(r => !LicenseCodes.Contains(Code(r))).Select(r => r!.DeepClone())]);
        var replayedOpen = new JsonArray([.. replayed.Reasons.Select(r => (JsonNode)r.DeepClone())]);
        Compare("reasons", recordedOpen, replayedOpen, differences);

        var recordedRequired = reasons.FirstOrDefault(r => Code(r) == "license-required") as JsonObject;
        var status = outputs["status"]?.GetValue<string>();
        var license = outputs["license"]?.GetValue<string>();
        if (replayed.LicenseRequired is { } required)
        {
            if (recordedRequired is not null)
            {
                var withoutLedger = new JsonObject([.. recordedRequired.Where(p => !LedgerFields.Contains(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))]);
                Compare("reasons.license-required", withoutLedger, required, differences);
            }
            else if (license is null && status != ShipmentStatus.Rejected)
            {
                // Required, yet neither held for it nor drawn on a licence.
                differences.Add(new ReplayDifference("reasons.license-required", "null", required.ToJsonString()));
            }
        }
        else if (recordedRequired is not null)
        {
            differences.Add(new ReplayDifference("reasons.license-required", recordedRequired.ToJsonString(), "null"));
        }

        var expected = replayed.Prohibited ? ShipmentStatus.Rejected
            : replayed.Reasons.Count > 0 ? ShipmentStatus.Held
            : replayed.LicenseRequired is null ? ShipmentStatus.Released
            : license is not null ? ShipmentStatus.Released : ShipmentStatus.Held; // covered, or held for the licence
        if (status is not null && status != expected)
        {
            differences.Add(new ReplayDifference("status", Quote(status), Quote(expected)));
        }

        if (license is not null && (replayed.LicenseRequired is null || expected != ShipmentStatus.Released))
        {
            differences.Add(new ReplayDifference("license", Quote(license), "null"));
        }
    }

    /// <summary>Every leaf that differs between <paramref name="recorded"/> and <paramref name="replayed"/>, named by its path under <paramref name="path"/>.</summary>
    private static void Compare(string path, JsonNode? recorded, JsonNode? replayed, List<ReplayDifference> differences)
    {
        if (recorded is JsonObject a && replayed is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Concat(b.Select(p => p.Key).Where(k => !a.ContainsKey(k))))
            {
                Compare($"{path}.{key}", a[key], b[key], differences);
            }

            return;
        }

        if (recorded is JsonArray x && replayed is JsonArray y && x.Count == y.Count && x.Any(e => e is JsonObject or JsonArray))
        {
            for (var i = 0; i < x.Count; i++)
            {
                Compare($"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", x[i], y[i], differences);
            }

            return;
        }

        if (!JsonNode.DeepEquals(recorded, replayed))
        {
            differences.Add(new ReplayDifference(path, recorded?.ToJsonString() ?? "null", replayed?.ToJsonString() ?? "null"));
        }
    }

    /// <summary>The content the record names, loaded from the versions the store keeps.</summary>
    private ContentSet Content(AuditRecord record)
    {
        var version = record.ContentVersion;
        var files = store.Content.Find(version)
            ?? throw new AuditReplayException($"record {Name(record)}: content version {(version.Length == 0 ? "(none)" : version)} is not kept in this database: only determinations recorded since content versions are kept can be replayed");
        ContentSet content;
        try
        {
            content = ContentLoader.Load([.. files.Select(f => (f.Name, f.Text))]);
        }
        catch (ContentValidationException e)
        {
            throw new AuditReplayException($"record {Name(record)}: the kept files of content version {version} no longer load: {e.Errors[0]}");
        }

        // The version is the files' hash: kept files that hash otherwise were altered in the database.
        return content.Version == version ? content
            : throw new AuditReplayException($"record {Name(record)}: the kept files of content version {version} hash to {content.Version}: they were altered");
    }

    /// <summary>The screening index of the list versions the record names ("meti-eul:1,ofac-sdn:3"), built in memory; null for none.</summary>
    private ScreeningIndex? Index(AuditRecord record)
    {
        if (record.ListVersions.Length == 0)
        {
            return null;
        }

        var entities = new List<ListEntity>();
        var screened = new List<ScreenedList>();
        foreach (var part in record.ListVersions.Split(','))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw new AuditReplayException($"record {Name(record)}: list versions '{record.ListVersions}': '{part}' is not LIST:VERSION");
            }

            var list = part[..colon];
            var version = lists.Versions(list).FirstOrDefault(v => v.VersionNo == number)
                ?? throw new AuditReplayException($"record {Name(record)}: version {number.ToString(CultureInfo.InvariantCulture)} of list {list} is not in this database");
            entities.AddRange(lists.LoadEntities(list, number));
            screened.Add(new ScreenedList(list, number, version.SourceDate));
        }

        return ScreeningIndex.Build(entities, screened);
    }

    /// <summary>The line as submitted (the record's inputs), read by the reader <c>shipments submit</c> uses.</summary>
    private static ShipmentLine Line(JsonObject inputs, JsonObject determination, AuditRecord record)
    {
        // The stored form writes every id as a string; a numeric id is echoed back as a number.
        if (determination["id"] is JsonValue id && id.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            inputs["id"] = id.DeepClone();
        }

        using var bytes = new MemoryStream(Encoding.UTF8.GetBytes(inputs.ToJsonString()));
        var line = JsonLinesInput.Read(bytes).Single();
        return line.Error is { } error ? throw new AuditReplayException($"record {Name(record)}: the recorded line no longer reads: {error.Message}") : line;
    }

    private static JsonObject Parse(string json, AuditRecord record, string field)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new AuditReplayException($"record {Name(record)}: its {field} are not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AuditReplayException($"record {Name(record)}: its {field} are not JSON: {e.Message}");
        }
    }

    private static string Code(JsonNode? reason) => reason?["code"]?.GetValue<string>() ?? "";

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, WireJsonContext.Default.String);

    private static string Name(AuditRecord record) => $"{record.Sequence.ToString(CultureInfo.InvariantCulture)} ({record.Action} {record.Subject})";
}

/// <summary>The wire form of a replay: <c>{"sequence","action","subject","content_version","list_versions","intact","same","differences":[{"field","recorded","replayed"}]}</c>.</summary>
public static class ReplayJson
{
    /// <summary>One replay as one compact JSON line; the recorded and replayed values as they are in JSON.</summary>
    public static string Line(ReplayResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var r = result.Record;
        return new JsonObject
        {
            ["sequence"] = r.Sequence, ["action"] = r.Action, ["subject"] = r.Subject, ["content_version"] = r.ContentVersion,
            ["list_versions"] = r.ListVersions, ["intact"] = result.Intact, ["same"] = result.Same,
            ["differences"] = new JsonArray([.. result.Differences.Select(d => (JsonNode)new JsonObject
            {
                ["field"] = d.Field, ["recorded"] = JsonNode.Parse(d.Recorded), ["replayed"] = JsonNode.Parse(d.Replayed),
            })]),
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
