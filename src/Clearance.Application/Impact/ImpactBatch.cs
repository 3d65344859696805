using System.Buffers;
using System.Text.Json;

namespace Clearance.Application;

/// <summary>Runs an impact analysis over an order book, streaming the report as JSON Lines (memory flat in the book's size).</summary>
public static class ImpactBatch
{
    /// <summary>
    /// Analyses every line of <paramref name="lines"/>; writes each changed line and each input error to
    /// <paramref name="output"/> as it goes, then the summary object; returns the summary. <paramref name="changed"/>,
    /// when given, also receives each changed line (a front end drawing charts or tables).
    /// </summary>
    public static ImpactSummary Run(ImpactAnalysis analysis, IEnumerable<ShipmentLine> lines, Stream output, Action<ImpactLine>? changed = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(lines);
        var summary = new ImpactSummary();
        var errors = new ResultJson(includeTrace: false);
        var json = new ImpactJson();
        var buffer = new OutputBuffer(output);
        var text = new ArrayBufferWriter<byte>(4096);
        using var w = new Utf8JsonWriter(text, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        try
        {
            foreach (var line in lines)
            {
                var result = analysis.Analyse(line);
                summary.Add(result);
                if (result.Checked.Error is not null)
                {
                    errors.Write(result.Checked, buffer);
                }
                else if (result.Changed is { } changedLine)
                {
                    changed?.Invoke(changedLine);
                    json.Write(w, changedLine, analysis.KnownAsOf);
                    Emit(w, text, buffer);
                }
            }

            ImpactJson.WriteSummary(w, summary, analysis.KnownAsOf, analysis.ContentVersion);
            Emit(w, text, buffer);
        }
        finally
        {
            buffer.Flush();
        }

        return summary;
    }

    private static void Emit(Utf8JsonWriter w, ArrayBufferWriter<byte> text, OutputBuffer buffer)
    {
        w.Flush();
        buffer.Write(text.WrittenSpan);
        buffer.Write("\n"u8);
        text.ResetWrittenCount();
        w.Reset(text);
    }
}
