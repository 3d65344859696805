using System.Text.Json;

namespace Clearance.Application;

/// <summary>
/// What a recheck did as <c>shipments recheck --output json</c> prints it: one JSON line per changed line,
/// <c>{"id", "old": {"status", "license", "reasons"}, "new": {...}}</c>, then <c>{"summary": {counts}}</c>.
/// </summary>
public static class RecheckJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The lines (without line breaks): each change in order, the summary last.</summary>
    public static IEnumerable<string> Lines(RecheckSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var c in summary.Changes)
        {
            yield return Line(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                w.WriteStartObject("old");
                WriteState(w, c.OldStatus, c.OldLicense, c.OldReasons);
                w.WriteEndObject();
                w.WriteStartObject("new");
                WriteState(w, c.Status, c.License, c.Reasons);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        yield return Line(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("summary");
            summary.WriteCounts(w);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteState(Utf8JsonWriter w, string status, string? license, string reasons)
    {
        w.WriteString("status", status);
        w.WriteString("license", license);
        w.WritePropertyName("reasons");
        w.WriteRawValue(reasons, skipInputValidation: true);
    }
}
