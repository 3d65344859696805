using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Clearance.Store;

/// <summary>
/// A determination's JSON cut where the part many lines share begins (<see cref="SharedDetermination"/>): the line's own
/// part, and the shared part, one instance for every line that has the same (<see cref="ShipmentStore.Split"/>). The
/// benchmark's book of 100,000 lines has 217 shared parts: held once each, a line waiting for its batch to be written
/// keeps its own hundred-odd characters instead of a whole determination (about 2.4 KB as UTF-16), which the garbage
/// collector copied at every generation-1 collection while the batches were in flight.
/// </summary>
public sealed class DeterminationParts
{
    internal DeterminationParts(string own, SharedPart shared)
    {
        Own = own;
        SharedPart = shared;
    }

    /// <summary>The line's own part (its id and date), or "" when the text was not cut.</summary>
    public string Own { get; }

    /// <summary>The part shared with other lines, up to the end of the determination.</summary>
    public string Shared => SharedPart.Text;

    /// <summary>The shared part with its key and UTF-8.</summary>
    internal SharedPart SharedPart { get; }

    /// <summary>The whole determination (a new string each time: for readers other than the submit's output).</summary>
    public string Text => string.Concat(Own, SharedPart.Text);

    /// <summary>Writes the determination as a raw JSON value: the own part's UTF-8, then the shared part's, kept once.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var shared = SharedPart.Utf8;
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(Own.Length) + shared.Length);
        try
        {
            var own = Encoding.UTF8.GetBytes(Own, buffer);
            shared.CopyTo(buffer.AsSpan(own));
            writer.WriteRawValue(buffer.AsSpan(0, own + shared.Length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A shared determination part: its text, its key (<see cref="SharedDetermination.Key"/>) and its UTF-8, made once per part.</summary>
/// <param name="Text">The text.</param>
/// <param name="Key">Its key.</param>
/// <param name="Utf8">Its UTF-8.</param>
internal sealed record SharedPart(string Text, string Key, byte[] Utf8);
