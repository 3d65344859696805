using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening.Matching;

namespace Clearance.Cli.Check;

/// <summary>A restricted-party list entry that the end user's name matched.</summary>
internal sealed record EndUserMatch(string ListId, string EntityId, string Name, string MatchedName, double Score);

/// <summary>The screening of one end user for one jurisdiction.</summary>
internal sealed record EndUserResult(EndUserStatus Status, IReadOnlyList<EndUserMatch> Matches, string? EndUserList)
{
    public static EndUserResult NotGiven { get; } = new(EndUserStatus.NotGiven, [], null);

    /// <summary>The <c>end_user_matches</c> member: each match with what it did (a ground, on the list but not a ground here, or a warning from another list).</summary>
    /// <param name="isGround">Whether the determination has an end-user ground (the item and destination are in catch-all scope).</param>
    public byte[] Json(bool isGround)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("end_user_matches");
            foreach (var m in Matches)
            {
                w.WriteStartObject();
                w.WriteString("list", m.ListId);
                w.WriteString("entity_id", m.EntityId);
                w.WriteString("name", m.Name);
                w.WriteString("matched_name", m.MatchedName);
                w.WriteNumber("score", Math.Round(m.Score, 3));
                w.WriteString("effect", m.ListId != EndUserList ? "warning: listed on another restricted-party list"
                    : isGround ? "end-user ground"
                    : "on the end-user list; not a ground for this item and destination (a licence, if required, is required on the grounds given)");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan[1..^1].ToArray();
    }
}

/// <summary>
/// Screens end users against the restricted-party lists loaded in the store. The index is opened on the first end user
/// (checks without end users never touch the database). Results are cached per name: a batch repeats its customers.
/// Without the jurisdiction's end-user list loaded, the status is "not screened" and the determination names the
/// missing list instead of passing silently.
/// </summary>
internal sealed class EndUserScreening(Lazy<ScreeningIndex?> index)
{
    private readonly ConcurrentDictionary<(string Name, string Country), IReadOnlyList<EndUserMatch>> _cache = new();

    /// <summary>No lists loaded: every given end user is "not screened".</summary>
    public static EndUserScreening None { get; } = new(new Lazy<ScreeningIndex?>((ScreeningIndex?)null));

    public EndUserResult Screen(Jurisdiction jurisdiction, string? endUser, CountryCode destination)
    {
        if (endUser is null)
        {
            return EndUserResult.NotGiven;
        }

        var list = jurisdiction.EndUserList;
        if (index.Value is not { } lists)
        {
            return new EndUserResult(EndUserStatus.NotScreened, [], list);
        }

        var matches = _cache.GetOrAdd((endUser, destination.Value), key =>
            [.. lists.Screen(new ScreeningQuery(key.Name, key.Country, Limit: 5))
                .Select(m => new EndUserMatch(m.ListId, m.EntityId, m.PrimaryName, m.MatchedName, m.Score))]);
        var status = list is null || !lists.ListIds.Contains(list) ? EndUserStatus.NotScreened
            : matches.Any(m => m.ListId == list) ? EndUserStatus.Listed
            : EndUserStatus.Clear;
        return new EndUserResult(status, matches, list);
    }
}
