using System.Text.Encodings.Web;
using System.Text.Json;
using Clearance.Audit;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>The wire form of audit records (one JSON object per record, with its hashes) and the bounds an export takes.</summary>
public static class AuditJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One record as a JSON object on one line (without the line break): inputs and outputs as the JSON they are.</summary>
    public static string Line(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var inputs = JsonDocument.Parse(record.Inputs);
        using var outputs = JsonDocument.Parse(record.Outputs);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sequence"] = record.Sequence, ["time"] = InstantPattern.ExtendedIso.Format(record.Time), ["actor"] = record.Actor, ["action"] = record.Action,
            ["subject"] = record.Subject, ["inputs"] = inputs.RootElement, ["outputs"] = outputs.RootElement,
            ["content_version"] = record.ContentVersion, ["list_versions"] = record.ListVersions, ["previous_hash"] = record.PreviousHash, ["hash"] = record.Hash,
        }, Options);
    }

    /// <summary>
    /// A bound of an export: an instant (2019-07-04T09:00:00Z) or a date (its start, UTC); null when not given.
    /// </summary>
    /// <param name="text">The text given, or null.</param>
    /// <param name="name">The option or parameter, for the message.</param>
    /// <exception cref="FormatException">Neither an instant nor a date; the message names <paramref name="name"/>.</exception>
    public static Instant? ParseBound(string? text, string name)
    {
        if (text is null)
            return null;
        if (InstantPattern.ExtendedIso.Parse(text) is { Success: true } instant)
            return instant.Value;
        if (LocalDatePattern.Iso.Parse(text) is { Success: true } date)
            return date.Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        throw new FormatException($"{name}: '{text}' is not a date or instant (2019-07-04 or 2019-07-04T09:00:00Z)");
    }
}
