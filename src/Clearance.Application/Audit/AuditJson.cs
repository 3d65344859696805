using System.Text.Json;
using Clearance.Audit;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>The wire form of audit records (one JSON object per record, with its hashes) and the bounds an export takes.</summary>
public static class AuditJson
{
    /// <summary>One record as a JSON object on one line (without the line break): inputs and outputs as the JSON they are.</summary>
    public static string Line(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var inputs = JsonDocument.Parse(record.Inputs);
        using var outputs = JsonDocument.Parse(record.Outputs);
        return JsonSerializer.Serialize(
            new AuditLine(
                record.Sequence, InstantPattern.ExtendedIso.Format(record.Time), record.Actor, record.Action, record.Subject, inputs.RootElement,
                outputs.RootElement, record.ContentVersion, record.ListVersions, record.PreviousHash, record.Hash),
            WireJsonContext.Relaxed.AuditLine);
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

/// <summary>The wire form of <see cref="AuditRecord"/>: its fields in this order, the time in ISO form, inputs and outputs as JSON.</summary>
internal sealed record AuditLine(
    long Sequence, string Time, string Actor, string Action, string Subject, JsonElement Inputs, JsonElement Outputs,
    string ContentVersion, string ListVersions, string PreviousHash, string Hash);
