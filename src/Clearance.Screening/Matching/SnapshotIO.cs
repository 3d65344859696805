using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>
/// Writes the little-endian binary layout of an index snapshot: 7-bit encoded lengths, UTF-8 strings, arrays
/// of numbers as their raw bytes (read back with one copy each).
/// </summary>
internal sealed class SnapshotWriter(Stream stream)
{
    private readonly BinaryWriter _writer = new(stream, Encoding.UTF8, leaveOpen: true);

    public long Position => _writer.BaseStream.Position;

    public void WriteCount(int value) => _writer.Write7BitEncodedInt(value);

    public void WriteInt(int value) => _writer.Write(value);

    public void WriteLong(long value) => _writer.Write(value);

    public void WriteByte(byte value) => _writer.Write(value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _writer.Write(bytes);

    public void WriteString(string value)
    {
        WriteCount(Encoding.UTF8.GetByteCount(value));
        _writer.Write(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A string or null: the length is written plus one, 0 meaning null.</summary>
    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteCount(0);
            return;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(value);
        WriteCount(bytes.Length + 1);
        _writer.Write(bytes);
    }

    public void WriteStrings(IReadOnlyList<string> values)
    {
        WriteCount(values.Count);
        foreach (string value in values)
        {
            WriteString(value);
        }
    }

    public void WriteInts(ReadOnlySpan<int> values) => WriteRaw(values);

    public void WriteLongs(ReadOnlySpan<long> values) => WriteRaw(values);

    public void WriteFloats(ReadOnlySpan<float> values) => WriteRaw(values);

    public void WriteFlags(ReadOnlySpan<bool> values) => WriteRaw(values);

    private void WriteRaw<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        WriteCount(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void Flush() => _writer.Flush();
}

/// <summary>
/// Reads what <see cref="SnapshotWriter"/> wrote from a span (a byte array, or the snapshot file mapped into memory);
/// any read past the end or any impossible value throws <see cref="InvalidDataException"/>. Passed by reference.
/// </summary>
internal ref struct SnapshotReader(ReadOnlySpan<byte> data, int position, int end)
{
    private readonly ReadOnlySpan<byte> data = data;
    private readonly int end = end;
    private int _position = position;

    public int Position => _position;

    public int ReadCount()
    {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            byte b = ReadByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (result < 0)
                {
                    break;
                }

                return result;
            }
        }

        throw Corrupt("bad length");
    }

    public byte ReadByte()
    {
        if (_position >= end)
        {
            throw Corrupt("unexpected end");
        }

        return data[_position++];
    }

    public int ReadInt() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadLong() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public string ReadString() => Encoding.UTF8.GetString(Take(ReadCount()));

    public string? ReadNullableString()
    {
        int length = ReadCount();
        return length == 0 ? null : Encoding.UTF8.GetString(Take(length - 1));
    }

    public string[] ReadStrings()
    {
        int count = ReadCount();
        if (count > end - _position)
        {
            throw Corrupt("bad string count");
        }

        var values = new string[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = ReadString();
        }

        return values;
    }

    public int[] ReadInts() => ReadRaw<int>();

    public long[] ReadLongs() => ReadRaw<long>();

    public float[] ReadFloats() => ReadRaw<float>();

    public bool[] ReadFlags()
    {
        byte[] bytes = ReadRaw<byte>();
        var flags = new bool[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            flags[i] = bytes[i] switch { 0 => false, 1 => true, _ => throw Corrupt("bad flag") };
        }

        return flags;
    }

    private T[] ReadRaw<T>()
        where T : unmanaged
    {
        int count = ReadCount();
        int size = Marshal.SizeOf<T>();
        if (count > (end - _position) / size)
        {
            throw Corrupt("bad array length");
        }

        return MemoryMarshal.Cast<byte, T>(Take(count * size)).ToArray();
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > end - _position)
        {
            throw Corrupt("unexpected end");
        }

        var span = data.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>Checks that offsets are ascending from 0 to <paramref name="total"/>, one more than <paramref name="count"/>.</summary>
    public static void CheckOffsets(int[] starts, int count, int total)
    {
        if (starts.Length != count + 1 || starts[0] != 0 || starts[^1] != total)
        {
            throw Corrupt("bad offsets");
        }

        for (int i = 1; i < starts.Length; i++)
        {
            if (starts[i] < starts[i - 1])
            {
                throw Corrupt("bad offsets");
            }
        }
    }

    /// <summary>Checks that every id is in [0, <paramref name="count"/>).</summary>
    public static void CheckRange(ReadOnlySpan<int> ids, int count)
    {
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)count)
            {
                throw Corrupt("id out of range");
            }
        }
    }

    public static InvalidDataException Corrupt(string what) => new($"screening index snapshot is corrupt ({what})");
}
