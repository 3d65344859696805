using System.Buffers;
using System.Text;
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
        foreach (var write in Writes(summary))
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
                write(writer);
            yield return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>
    /// The same lines as JSON Lines on <paramref name="output"/> (UTF-8, each ended by a line feed), written in pieces of
    /// 64 KB: the bytes go out as written, not through strings and an encoder again.
    /// </summary>
    public static void Write(RecheckSummary summary, Stream output)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        foreach (var write in Writes(summary))
        {
            write(writer);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= 1 << 16)
            {
                output.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        output.Write(buffer.WrittenSpan);
        output.Flush();
    }

    private static IEnumerable<Action<Utf8JsonWriter>> Writes(RecheckSummary summary)
    {
        foreach (var c in summary.Changes)
        {
            yield return w =>
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
            };
        }

        yield return w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("summary");
            summary.WriteCounts(w);
            w.WriteEndObject();
            w.WriteEndObject();
        };
    }

    private static void WriteState(Utf8JsonWriter w, string status, string? license, string reasons)
    {
        w.WriteString("status", status);
        w.WriteString("license", license);
        w.WritePropertyName("reasons");
        w.WriteRawValue(reasons, skipInputValidation: true);
    }
}
