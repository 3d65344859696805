using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clearance.Application;

/// <summary>
/// The types this layer writes or reads with System.Text.Json's serializer, their metadata generated at build time: no
/// reflection and no code generated at run time, so the same code serves the JIT build and the CLI published with Native
/// AOT. Names are snake_case as on the rest of the wire; reading (a <c>lists update --config</c> file) is lenient about
/// case, comments and trailing commas.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(AuditLine))]
[JsonSerializable(typeof(ListStatusLine))]
[JsonSerializable(typeof(ListDiffLine))]
[JsonSerializable(typeof(ListImportedLine))]
[JsonSerializable(typeof(ListUpdateConfig))]
internal sealed partial class WireJsonContext : JsonSerializerContext
{
    /// <summary>
    /// For writing with raw UTF-8 (only what JSON requires is escaped), as every JSON line the commands print; <c>Default</c>
    /// keeps the serializer's default escaping. (Its own options, not a copy of <c>Default</c>'s: the order in which the
    /// static properties of the two halves of this partial class are initialised is not defined.)
    /// </summary>
    public static WireJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
