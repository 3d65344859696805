using System.Text.Json;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// The floor of the 1M-line <c>clearance check</c> measurement: a naive, single-threaded streaming pass that parses each
/// line's JSON and writes a small JSON object per line, with no determination. Compiled twice: under the JIT in
/// Clearance.Benchmarks (<c>floor FILE</c>) and ahead of time in Clearance.NativeFloor.Benchmarks, the floor to hold the
/// native CLI against (bench/check-native.sh). The code is the floor of every earlier measurement, unchanged: reflection
/// serialisation of the two strings (the native project turns reflection on for it).
/// </summary>
public static class StreamingFloor
{
    public static void Floor(string path, Stream output)
    {
        using var reader = new StreamReader(path);
        using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16);
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            writer.Write("{\"id\":");
            writer.Write(JsonSerializer.Serialize(root.GetProperty("id").GetString()));
            writer.Write(",\"date\":");
            writer.Write(JsonSerializer.Serialize(root.GetProperty("date").GetString()));
            writer.Write(",\"ok\":true}\n");
        }
    }
}
