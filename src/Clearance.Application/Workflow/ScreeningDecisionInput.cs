using System.Text.Json;
using Clearance.Store;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>A field of a request that is wrong, and what is wrong with it (without the field's name).</summary>
/// <param name="Field">The field, as the API names it ("entity"); the CLI's option is <c>--</c> and the same name.</param>
/// <param name="Message">What is wrong.</param>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// A screening decision as <c>clearance screening decide</c> and the service's <c>POST /screening/decisions</c> take it:
/// every field checked the same way, the decision recorded by <see cref="ScreeningDecisionStore.Decide"/>, and the JSON
/// of <c>screening decisions --output json</c>.
/// </summary>
/// <param name="Party">The party's name as given (trimmed).</param>
/// <param name="PartyKey">The name as screening normalises it.</param>
/// <param name="EntityList">The entry's list ("ofac-sdn").</param>
/// <param name="EntityId">The entry's id on it.</param>
/// <param name="Decision">One of <see cref="ScreeningDecisionKind.All"/>.</param>
/// <param name="Reason">Why (trimmed, not empty).</param>
public sealed record ScreeningDecisionInput(string Party, string PartyKey, string EntityList, string EntityId, string Decision, string Reason)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The decision asked for, or null with the first wrong field in <paramref name="error"/> (checked decision, entity, party, reason).</summary>
    public static ScreeningDecisionInput? Parse(string? party, string? entity, string? decision, string? reason, out FieldError? error)
    {
        error = null;
        var kind = (decision ?? "").Trim().ToLowerInvariant();
        if (!ScreeningDecisionKind.All.Contains(kind))
        {
            error = new FieldError("decision", $"'{decision}' is not one of {string.Join(", ", ScreeningDecisionKind.All)}{NearestName.DidYouMean(kind, ScreeningDecisionKind.All)}");
            return null;
        }

        var text = (entity ?? "").Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = new FieldError("entity", $"'{text}' is not LIST:ENTRY_ID (e.g. ofac-sdn:36, as a screening-match reason names list and entity)");
            return null;
        }

        var name = (party ?? "").Trim();
        var key = ShipmentWorkflow.Normalize(name);
        if (key.Length == 0)
        {
            error = new FieldError("party", $"'{name}' has nothing to screen (no letters or digits)");
            return null;
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            error = new FieldError("reason", "give the reason (it is recorded)");
            return null;
        }

        return new ScreeningDecisionInput(name, key, text[..colon], text[(colon + 1)..], kind, reason.Trim());
    }

    /// <summary>
    /// Records the decision by <paramref name="actor"/> (with its audit record), or returns null with the error of an
    /// entry that is in no active list (nothing is written then).
    /// </summary>
    public DecisionState? Record(ScreeningDecisionStore store, string actor, out FieldError? error)
    {
        ArgumentNullException.ThrowIfNull(store);
        error = null;
        try
        {
            var recorded = store.Decide(Party, PartyKey, EntityList, EntityId, Decision, Reason, actor);
            return new DecisionState(recorded, recorded.ContentHash);
        }
        catch (ScreeningDecisionException e)
        {
            // The store names the CLI's option; the field is the same whatever the front end calls it.
            const string Prefix = "--entity: ";
            error = new FieldError("entity", e.Message.StartsWith(Prefix, StringComparison.Ordinal) ? e.Message[Prefix.Length..] : e.Message);
            return null;
        }
    }

    /// <summary>Whether the decision applies, or why it lapsed, as <c>screening decisions</c> shows it.</summary>
    public static string Status(DecisionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Applies ? "applies" : state.CurrentHash is null ? "lapsed: entry no longer listed" : "lapsed: entry changed";
    }

    /// <summary>
    /// One decision as a JSON object: <c>{"id", "party", "entity", "entry_name", "decision", "reason", "decided_by",
    /// "decided_at", "list", "list_version", "content_hash", "status"}</c>.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, DecisionState state)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(state);
        var d = state.Decision;
        writer.WriteStartObject();
        writer.WriteNumber("id", d.Id);
        writer.WriteString("party", d.Party);
        writer.WriteString("entity", $"{d.EntityList}:{d.EntityId}");
        writer.WriteString("entry_name", d.EntryName);
        writer.WriteString("decision", d.Decision);
        writer.WriteString("reason", d.Reason);
        writer.WriteString("decided_by", d.Actor);
        writer.WriteString("decided_at", InstantPattern.ExtendedIso.Format(d.DecidedAt));
        writer.WriteString("list", d.ListId);
        writer.WriteNumber("list_version", d.VersionNo);
        writer.WriteString("content_hash", d.ContentHash);
        writer.WriteString("status", Status(state));
        writer.WriteEndObject();
    }

    /// <summary>One JSON line per decision (without line breaks), as <c>screening decisions --output json</c> prints them.</summary>
    public static IEnumerable<string> Lines(IEnumerable<DecisionState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        foreach (var state in states)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                Write(writer, state);
            yield return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }
}
