using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Clearance.Store;

/// <summary>
/// A shipment line's determination, as JSON: held whole (a line read back from the database, or given as text), or cut
/// where the part many lines share begins (<see cref="SharedDetermination"/>, <see cref="ShipmentStore.Split"/>): the
/// line's own part, and the shared part, one instance for every line that has the same. The benchmark's book of 100,000
/// lines has 217 shared parts: held once each, a line waiting for its batch to be written keeps its own hundred-odd
/// characters instead of a whole determination (about 2.4 KB as UTF-16), which the garbage collector copied at every
/// generation-1 collection while the batches were in flight. Two values are equal when their texts are, however each
/// is held (a line just submitted equals the same line read back). Immutable.
/// </summary>
public sealed class DeterminationText : IEquatable<DeterminationText>
{
    /// <summary>The whole text, or null when cut.</summary>
    private readonly string? _whole;

    /// <summary>A determination held whole, as <paramref name="text"/> (not cut: the store cuts it when it records the line).</summary>
    /// <param name="text">The determination's JSON.</param>
    public DeterminationText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _whole = text;
        Own = "";
    }

    internal DeterminationText(string own, SharedPart shared)
    {
        Own = own;
        SharedPart = shared;
    }

    /// <summary>Whether the text is held cut into <see cref="Own"/> and <see cref="Shared"/> (else whole).</summary>
    public bool IsCut => SharedPart is not null;

    /// <summary>The line's own part (its id and date) when cut, else "".</summary>
    public string Own { get; }

    /// <summary>The part shared with other lines, up to the end of the determination, when cut; else null.</summary>
    public string? Shared => SharedPart?.Text;

    /// <summary>The shared part with its key and UTF-8, when cut; else null.</summary>
    internal SharedPart? SharedPart { get; }

    /// <summary>The whole determination (when cut, a new string each time: for readers other than the submit's output).</summary>
    public string Text => _whole ?? string.Concat(Own, SharedPart!.Text);

    /// <summary>
    /// Writes the determination as a raw JSON value: when cut, the own part's UTF-8, then the shared part's, kept once
    /// (never joined into a string).
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (SharedPart is not { } part)
        {
            writer.WriteRawValue(_whole!, skipInputValidation: true);
            return;
        }

        var shared = part.Utf8;
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

    /// <summary>Whether the texts are the same (compared without joining when both are cut with the same shared part).</summary>
    public bool Equals(DeterminationText? other)
    {
        if (other is null)
            return false;
        if (ReferenceEquals(this, other))
            return true;
        if (SharedPart is { } part && ReferenceEquals(part, other.SharedPart))
            return string.Equals(Own, other.Own, StringComparison.Ordinal);
        return string.Equals(Text, other.Text, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DeterminationText);

    /// <summary>The hash of the text (so equal texts, however held, hash alike).</summary>
    public override int GetHashCode() => string.GetHashCode(Text, StringComparison.Ordinal);

    /// <summary>The whole text.</summary>
    public override string ToString() => Text;
}

/// <summary>A shared determination part: its text, its key (<see cref="SharedDetermination.Key"/>) and its UTF-8, made once per part.</summary>
/// <param name="Text">The text.</param>
/// <param name="Key">Its key.</param>
/// <param name="Utf8">Its UTF-8.</param>
internal sealed record SharedPart(string Text, string Key, byte[] Utf8);
