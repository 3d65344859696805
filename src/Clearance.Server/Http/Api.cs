using System.Text;
using System.Text.Json;

namespace Clearance.Server;

/// <summary>
/// What every endpoint answers with: the Application's own JSON (the bytes the CLI prints, without the line break), or a
/// ProblemDetails naming what is wrong. Nothing here formats domain data itself.
/// </summary>
internal static class Api
{
    /// <summary>The JSON media type.</summary>
    public const string JsonType = "application/json";

    /// <summary>JSON Lines, as <c>--output json</c> writes them.</summary>
    public const string JsonLinesType = "application/x-ndjson";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A problem: <paramref name="status"/>, a short title, what exactly is wrong, and a machine code.</summary>
    public static ProblemHttpResult Problem(int status, string detail, string code) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>400 with the message of a line or field error (it names the field).</summary>
    public static ProblemHttpResult Invalid(LineError error) => Problem(StatusCodes.Status400BadRequest, error.Message, error.Code);

    /// <summary>400: the request is wrong in the way <paramref name="detail"/> says.</summary>
    public static ProblemHttpResult Invalid(string detail, string code = "invalid-request") => Problem(StatusCodes.Status400BadRequest, detail, code);

    /// <summary>404: no such thing.</summary>
    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail, "not-found");

    /// <summary>409: the request is understood but the store refused it (a licence number taken, a final state).</summary>
    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, detail, "conflict");

    /// <summary>A JSON body of UTF-8 bytes as they are.</summary>
    public static FileContentHttpResult Json(ReadOnlySpan<byte> utf8) => TypedResults.Bytes(TrimLineBreak(utf8).ToArray(), JsonType);

    /// <summary>A JSON body from a string (a line the Application wrote).</summary>
    public static FileContentHttpResult Json(string json) => Json(Encoding.UTF8.GetBytes(json));

    /// <summary>A JSON body written by <paramref name="write"/>.</summary>
    public static FileContentHttpResult Json(Action<Utf8JsonWriter> write) => TypedResults.Bytes(Write(write), JsonType);

    /// <summary>A JSON array of values the Application wrote one per line.</summary>
    public static FileContentHttpResult JsonArray(IEnumerable<string> lines) => JsonArray(lines.Select(l => Encoding.UTF8.GetBytes(l)));

    /// <summary>A JSON array of UTF-8 values the Application wrote one per line.</summary>
    public static FileContentHttpResult JsonArray(IEnumerable<byte[]> lines)
    {
        var output = new MemoryStream();
        output.WriteByte((byte)'[');
        var first = true;
        foreach (var line in lines)
        {
            if (!first)
                output.WriteByte((byte)',');
            first = false;
            output.Write(TrimLineBreak(line));
        }

        output.WriteByte((byte)']');
        return TypedResults.Bytes(output.ToArray(), JsonType);
    }

    /// <summary>What <paramref name="write"/> writes, as compact UTF-8 JSON.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A path segment as the client meant it: the server decodes every escape of a path but %2F (a '/' inside a
    /// segment, as in a shipment id "SO-1/1"), which routing leaves as it is.
    /// </summary>
    public static string Segment(string value) => value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the request's body is JSON Lines (<c>Content-Type: application/x-ndjson</c>).</summary>
    public static bool IsJsonLines(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith(JsonLinesType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The whole body, read under the endpoint's size limit (<see cref="BodyLimits"/> refuses a larger one with 413).
    /// </summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length and <= int.MaxValue)
        {
            // Known length (already checked against the limit): one array, read in place.
            var body = GC.AllocateUninitializedArray<byte>((int)length);
            await request.Body.ReadExactlyAsync(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return body;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// The whole body as its JSON values (<see cref="Values"/>), or the 400 problem of a body that is not JSON or
    /// neither an object nor an array.
    /// </summary>
    public static async Task<JsonValues> ReadValuesAsync(HttpRequest request)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false);
        try
        {
            var values = Values(body, out var isArray);
            return new JsonValues(values, isArray, null);
        }
        catch (JsonException e)
        {
            return new JsonValues([], false, Malformed(e));
        }
    }

    /// <summary>
    /// The values of a JSON body: the object itself, or each element of an array, as the ranges of
    /// <paramref name="body"/> that hold them (read later by the Application's own readers, which name unknown fields).
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON, or neither an object nor an array (the message says where).</exception>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Values(byte[] body, out bool isArray)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read())
            throw new JsonException("the body is empty: send a JSON object, or an array of them");
        isArray = reader.TokenType == JsonTokenType.StartArray;
        var values = new List<ReadOnlyMemory<byte>>();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            values.Add(body.AsMemory(start, (int)reader.BytesConsumed - start));
        }
        else if (isArray)
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                values.Add(body.AsMemory(start, (int)reader.BytesConsumed - start));
            }
        }
        else
        {
            throw new JsonException($"the body is a JSON {reader.TokenType.ToString().ToLowerInvariant()}: send a JSON object, or an array of them");
        }

        // Whatever follows the value must be nothing but white space.
        if (reader.Read())
            throw new JsonException($"more after the JSON value (at byte {reader.TokenStartIndex})");
        return values;
    }

    /// <summary>"malformed JSON: ..." from a reader's exception, without the path of any code.</summary>
    public static ProblemHttpResult Malformed(JsonException e) =>
        Invalid(e.LineNumber is { } line ? $"malformed JSON at line {line + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}" : e.Message, "malformed-json");

    private static string FirstSentence(string message) => message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd();

    private static ReadOnlySpan<byte> TrimLineBreak(ReadOnlySpan<byte> utf8) => utf8.Length > 0 && utf8[^1] == (byte)'\n' ? utf8[..^1] : utf8;
}

/// <summary>A JSON body read: its values (one object, or an array's elements), or why it could not be read.</summary>
/// <param name="Items">The values, as ranges of the body.</param>
/// <param name="IsArray">The body was an array (the answer is one too).</param>
/// <param name="Problem">The 400 answer when the body is not JSON; the items are then empty.</param>
internal readonly record struct JsonValues(IReadOnlyList<ReadOnlyMemory<byte>> Items, bool IsArray, ProblemHttpResult? Problem);
