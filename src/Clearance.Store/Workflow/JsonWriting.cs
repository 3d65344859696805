using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>
/// The members the workflow's JSON texts share (a request, a licence demand), written with <see cref="Utf8JsonWriter"/>
/// exactly as a <see cref="System.Text.Json.Nodes.JsonObject"/> of them serialises.
/// </summary>
public static class JsonWriting
{
    /// <summary>The writer's buffer for <see cref="Text"/>, one per thread (lines are prepared on the checking thread, a batch's rows on its own).</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The writer of <see cref="Text"/>, one per thread, on <see cref="t_buffer"/>.</summary>
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Relaxed escaping, as the workflow's <see cref="JsonSerializerOptions"/> write its stored texts.</summary>
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The text <paramref name="write"/> writes for <paramref name="state"/>, with relaxed escaping, on a buffer reused by
    /// the thread: a text stored for every line is written without building a JSON tree or a new buffer. Not reentrant:
    /// <paramref name="write"/> must not call it.
    /// </summary>
    /// <param name="state">What to write, passed on so that <paramref name="write"/> can be a static lambda.</param>
    /// <param name="write">Writes one JSON value.</param>
    public static string Text<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        // The writer is kept too (reset to the emptied buffer), not made anew for each of a line's texts.
        var writer = t_writer;
        if (writer is null)
            t_writer = writer = new Utf8JsonWriter(buffer, Relaxed);
        else
            writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A member whose value is a date as ISO text (<c>uuuu-MM-dd</c>), the text of <see cref="LocalDatePattern.Iso"/>
    /// written by <see cref="IsoText.WriteDate{T}"/> (a request and a demand each hold a date, and the pattern's formatter
    /// made a StringBuilder, its buffer and a string for every one).
    /// </summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="date">The date.</param>
    public static void WriteDate(this Utf8JsonWriter writer, string name, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[IsoText.DateMaxLength];
        writer.WriteString(name, text[..IsoText.WriteDate(date, text)]);
    }

    /// <summary>A member whose value is an array of strings.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="values">The strings.</param>
    public static void WriteStrings(this Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray(name);
        foreach (var value in values)
            writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>A member whose value is an amount with its unit (<c>{"amount": 12.5, "unit": "kg"}</c>), or null.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="amount">The amount, or null for a null member.</param>
    /// <param name="unitName">The unit's member name ("unit", "currency").</param>
    /// <param name="unit">The unit.</param>
    public static void WriteAmount(this Utf8JsonWriter writer, string name, decimal? amount, string unitName, string? unit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (amount is not { } value)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("amount", value);
        writer.WriteString(unitName, unit);
        writer.WriteEndObject();
    }

    /// <summary>A member whose value is a number, or null.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="value">The number, or null for a null member.</param>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, decimal? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } number)
            writer.WriteNumber(name, number);
        else
            writer.WriteNull(name);
    }
}
