using System.Text.Encodings.Web;
using System.Text.Json;
using Clearance.Audit;
using Clearance.Store;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// The lines written through the build-time metadata of <see cref="WireJsonContext"/> (AOT-safe) agree byte for byte
/// with the reference: the reflection-based serializer over dictionaries in the wire's key order, as they were written
/// before; over generated records (fixed seeds) with texts that need escaping (quotes, controls, HTML characters,
/// non-ASCII, surrogate pairs, line separators) and absent values. A <c>lists update --config</c> file is read to the
/// same sources as the reflection-based reader with the same options.
/// </summary>
public sealed class WireJsonAgreementTests
{
    private static readonly JsonSerializerOptions Reference = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Texts =
    [
        "", "Example Trading Co.", "Ōsaka \"Kōgyō\" <K.K.> & sons", "株式会社 東京精密", "line\nbreak\ttab\u0001\u001f", "emoji 😀 + 'quote' \\ slash /",
        "Müller GmbH ß", "\u2028\u2029 separators \u007f\u0085", "ОАО «Рога и копыта»", "شركة", "a\u0301 combining",
    ];

    private static readonly string[] JsonTexts =
    [
        "{}", "[]", "null", "{\"name\":\"株式会社\",\"n\":[1,2.50,-0e3,1E+2],\"b\":null,\"t\":true}",
        "{\"escaped\":\"\\u682a\\\"<>&'\\n\",\"nested\":{\"a\":[{\"b\":\"\\ud83d\\ude00\"}]}}", "[\"Ōsaka\", 12345678901234567890, {\"x\" : 1}]",
    ];

    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AuditLine_GeneratedRecords_SameAsReflection(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 50; n++)
        {
            var record = new AuditRecord(
                random.NextInt64(0, long.MaxValue), Instant.FromUnixTimeTicks(random.NextInt64(0, 40_000_000_000_000_000)), Text(random), Text(random),
                Text(random), JsonTexts[random.Next(JsonTexts.Length)], JsonTexts[random.Next(JsonTexts.Length)], Text(random), Text(random),
                Text(random), Text(random));
            using var inputs = JsonDocument.Parse(record.Inputs);
            using var outputs = JsonDocument.Parse(record.Outputs);
            var expected = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["sequence"] = record.Sequence, ["time"] = InstantPattern.ExtendedIso.Format(record.Time), ["actor"] = record.Actor, ["action"] = record.Action,
                ["subject"] = record.Subject, ["inputs"] = inputs.RootElement, ["outputs"] = outputs.RootElement,
                ["content_version"] = record.ContentVersion, ["list_versions"] = record.ListVersions, ["previous_hash"] = record.PreviousHash, ["hash"] = record.Hash,
            }, Reference);

            Assert.Equal(expected, AuditJson.Line(record));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ListsStatus_GeneratedRecords_SameAsReflection(int seed)
    {
        var random = new Random(seed);
        var today = new LocalDate(2026, 12, 5);
        var status = Enumerable.Range(0, 40).Select(_ => new ListStatus(
            Version(random), random.Next(1, 100),
            Enumerable.Range(0, random.Next(4)).ToDictionary(i => Text(random) + i, _ => random.Next(100_000)),
            random.Next(3) == 0 ? null : new ListActivation(
                Text(random), random.Next(1, 50), random.Next(2) == 0 ? null : random.Next(1, 50), Instant.FromUnixTimeSeconds(random.Next()),
                random.Next(2) == 0 ? ListActivation.ImportKind : ListActivation.ActivateKind, Maybe(random)))).ToList();
        var expected = status.Select(s => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["list"] = s.Active.ListId,
            ["version"] = s.Active.VersionNo,
            ["versions"] = s.VersionCount,
            ["format"] = s.Active.Format,
            ["source_date"] = s.Active.SourceDate is { } d ? LocalDatePattern.Iso.Format(d) : null,
            ["source_age_days"] = ListFreshness.AgeDays(s.Active, today),
            ["stale"] = ListFreshness.IsStale(s.Active, today),
            ["imported_at"] = s.Active.ImportedAt.ToString(),
            ["entities"] = s.Active.EntityCount,
            ["names"] = s.Active.NameCount,
            ["sha256"] = s.Active.Sha256,
            ["entities_by_list"] = s.EntitiesByList,
            ["note"] = s.Active.Note,
            ["activated_at"] = s.Activation?.ActivatedAt.ToString(),
            ["activated_by"] = s.Activation?.Kind,
            ["activation_note"] = s.Activation?.Note,
        }, Reference));

        Assert.Equal(expected, ListsJson.Status(status, today));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ListsDiff_GeneratedRecords_SameAsReflection(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 30; n++)
        {
            var diff = Diff(random);
            object Entries(IReadOnlyList<EntityRef> refs) => refs.Select(r => new Dictionary<string, string>
            {
                ["list"] = r.ListId, ["entity_id"] = r.EntityId, ["name"] = diff.NameOf(r),
            });
            var expected = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["list"] = diff.ListId, ["base"] = diff.FromVersion, ["head"] = diff.ToVersion,
                ["added"] = Entries(diff.Added), ["removed"] = Entries(diff.Removed), ["changed"] = Entries(diff.Changed),
            }, Reference);

            Assert.Equal(expected, ListsJson.Diff(diff));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ListsImported_GeneratedRecords_SameAsReflection(int seed)
    {
        var random = new Random(seed);
        var results = Enumerable.Range(0, 40).Select(_ => new ImportResult(Version(random), random.Next(2) == 0, random.Next(3) == 0 ? null : Diff(random))).ToList();
        var expected = results.Select(r => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["list"] = r.Version.ListId,
            ["version"] = r.Version.VersionNo,
            ["format"] = r.Version.Format,
            ["source_date"] = r.Version.SourceDate is { } d ? LocalDatePattern.Iso.Format(d) : null,
            ["entities"] = r.Version.EntityCount,
            ["names"] = r.Version.NameCount,
            ["unchanged"] = r.Unchanged,
            ["base"] = r.Changes?.FromVersion,
            ["added"] = r.Changes?.Added.Count,
            ["removed"] = r.Changes?.Removed.Count,
            ["changed"] = r.Changes?.Changed.Count,
            ["note"] = r.Version.Note,
        }, Reference));

        Assert.Equal(expected, ListsJson.Imported(results));
    }

    [Fact]
    public void ListUpdateMerge_LenientConfig_SameSourcesAsReflection()
    {
        // Comments, trailing commas, keys in any case, an omitted note and format: what the reflection-based reader accepted.
        const string config = """
            {
              // a mirror of the consolidated list, and a source of our own
              "Sources": [
                {"id": "csl", "FORMAT": "csl-csv", "list": "csl", "files": [{"url": "https://mirror.example/consolidated.csv", "Name": "consolidated.csv"},],},
                {"ID": "watch", "list": "watch", "files": [], "note": "Ōsaka \"watch\" list"},
              ],
            }
            """;
        using var directory = new TempDirectory();
        var path = directory.Write("sources.json", config);
        var readOptions = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
        };
        var reference = JsonSerializer.Deserialize<ReferenceConfig>(config, readOptions)!.Sources!;
        var expected = ListUpdate.Defaults.Select(d => reference.FirstOrDefault(s => s.Id == d.Id) ?? d).Concat(reference.Where(s => ListUpdate.Defaults.All(d => d.Id != s.Id)));

        var merged = ListUpdate.Merge(ListUpdate.Defaults, path);

        Assert.Equal(expected.Select(s => JsonSerializer.Serialize(s, Reference)), merged.Select(s => JsonSerializer.Serialize(s, Reference)));
        Assert.Equal("https://mirror.example/consolidated.csv", merged.Single(s => s.Id == "csl").Files[0].Url);
        Assert.Null(merged.Single(s => s.Id == "watch").Format);
    }

    [Fact]
    public void ListUpdateMerge_WrongType_JsonExceptionWithLine()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("sources.json", "{\"sources\": [\n {\"id\": \"csl\", \"files\": \"x\"}]}");

        var e = Assert.Throws<JsonException>(() => ListUpdate.Merge(ListUpdate.Defaults, path));

        Assert.Equal(1, e.LineNumber);
        Assert.Equal("$.sources[0].files", e.Path);
    }

    private sealed record ReferenceConfig(IReadOnlyList<UpdateSource>? Sources);

    private static ListVersion Version(Random random) => new(
        Text(random), random.Next(1, 1000), random.Next(2) == 0 ? "csv" : Text(random), Instant.FromUnixTimeSeconds(random.Next()),
        random.Next(3) == 0 ? null : new LocalDate(2026, 1, 1).PlusDays(random.Next(-3000, 400)), [], Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())),
        random.Next(1_000_000), random.Next(1_000_000), random.Next(2) == 0 ? null : random.Next(1, 100), Maybe(random));

    private static ListDiff Diff(Random random)
    {
        List<EntityRef> Refs() => [.. Enumerable.Range(0, random.Next(4)).Select(i => new EntityRef(Text(random), Text(random) + "#" + i))];
        var (added, removed, changed) = (Refs(), Refs(), Refs());
        var named = added.Concat(removed).Concat(changed).Where(_ => random.Next(4) > 0).Distinct().ToDictionary(r => r, _ => Text(random));
        return new ListDiff(Text(random), random.Next(1, 50), random.Next(1, 50), added, removed, changed) { Names = named };
    }

    private static string Text(Random random) => Texts[random.Next(Texts.Length)];

    private static string? Maybe(Random random) => random.Next(2) == 0 ? null : Text(random);
}
