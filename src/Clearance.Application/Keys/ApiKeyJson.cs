using System.Text.Json;
using Clearance.Store;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>The wire form of API keys: a created key once with the key itself, a stored key without it, ever.</summary>
public static class ApiKeyJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"name","role","key"}</c>: the only time the key is shown.</summary>
    public static string Created(CreatedApiKey created)
    {
        ArgumentNullException.ThrowIfNull(created);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", created.Record.Name);
            w.WriteString("role", ApiKeyStore.Name(created.Record.Role));
            w.WriteString("key", created.Key);
            w.WriteEndObject();
        });
    }

    /// <summary><c>{"name","role","created_at","revoked_at"}</c>.</summary>
    public static string Line(ApiKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", record.Name);
            w.WriteString("role", ApiKeyStore.Name(record.Role));
            w.WriteString("created_at", InstantPattern.ExtendedIso.Format(record.CreatedAt));
            w.WriteString("revoked_at", record.RevokedAt is { } revoked ? InstantPattern.ExtendedIso.Format(revoked) : null);
            w.WriteEndObject();
        });
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
