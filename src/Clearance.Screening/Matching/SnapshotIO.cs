using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>
/// Writes the little-endian binary layout of an index snapshot: 7-bit encoded lengths, UTF-8 strings, arrays
/// of numbers as their raw bytes, each starting at a multiple of its element's size from the start of the stream (the
/// snapshot's first byte), so that a mapped snapshot's tables are read in place (<see cref="SnapshotTable{T}"/>).
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

    /// <summary>Bytes with their count before them (<see cref="SnapshotReader.ReadTable{T}"/>).</summary>
    public void WriteByteTable(ReadOnlySpan<byte> values) => WriteRaw(values);

    private void WriteRaw<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        WriteCount(values.Length);
        int size = Unsafe.SizeOf<T>();
        for (long position = Position; position % size != 0; position++)
        {
            _writer.Write((byte)0);
        }

        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void Flush() => _writer.Flush();
}

/// <summary>
/// Reads what <see cref="SnapshotWriter"/> wrote from a span (a byte array, or the snapshot file mapped into memory);
/// any read past the end or any impossible value throws <see cref="InvalidDataException"/>. Passed by reference.
/// </summary>
/// <param name="data">The snapshot from its first byte (a table's alignment is counted from there), or a record.</param>
/// <param name="position">Where to start reading.</param>
/// <param name="end">Where to stop.</param>
/// <param name="mapping">The mapping <paramref name="data"/> is, when it is one: <see cref="ReadTable{T}"/> then reads in place.</param>
internal ref struct SnapshotReader(ReadOnlySpan<byte> data, int position, int end, SnapshotMapping? mapping = null)
{
    private readonly ReadOnlySpan<byte> data = data;
    private readonly int end = end;
    private readonly SnapshotMapping? mapping = mapping;
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

    /// <summary>
    /// Strings as <see cref="ReadStrings"/> reads them, left in place when the reader reads a mapping (only where each
    /// one starts is read now; each is decoded when asked for), else decoded now.
    /// </summary>
    public SnapshotStrings ReadStringTable()
    {
        if (mapping is null)
        {
            return new SnapshotStrings(ReadStrings());
        }

        int count = ReadCount();
        if (count > end - _position)
        {
            throw Corrupt("bad string count");
        }

        int first = _position;
        var starts = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            starts[i] = _position - first;
            Take(ReadCount());
        }

        starts[count] = _position - first;
        return new SnapshotStrings(mapping.Table<byte>(first, _position - first), starts);
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

    /// <summary>
    /// An array of numbers as a table: in place when the reader reads a mapping (no copy: the mapping is kept as long as
    /// the table), else copied out of the span.
    /// </summary>
    public SnapshotTable<T> ReadTable<T>()
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = TakeRaw<T>(out int count);
        return mapping is null ? new SnapshotTable<T>(MemoryMarshal.Cast<byte, T>(bytes).ToArray()) : mapping.Table<T>(_position - bytes.Length, count);
    }

    private T[] ReadRaw<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(TakeRaw<T>(out _)).ToArray();

    /// <summary>The bytes of an array of numbers: its count, the padding that aligns it (zeros), and its elements.</summary>
    private ReadOnlySpan<byte> TakeRaw<T>(out int count)
        where T : unmanaged
    {
        count = ReadCount();
        int size = Unsafe.SizeOf<T>();
        while (_position % size != 0)
        {
            if (ReadByte() != 0)
            {
                throw Corrupt("bad padding");
            }
        }

        if (count > (end - _position) / size)
        {
            throw Corrupt("bad array length");
        }

        return Take(count * size);
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
    public static void CheckOffsets(ReadOnlySpan<int> starts, int count, int total)
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

/// <summary>
/// A snapshot file mapped read-only into memory for as long as an index reads its tables in place
/// (<see cref="SnapshotTable{T}"/>): unmapped when the last table that points into it is unreachable (finalizer), so a
/// long-lived process that replaces its index (<c>clearance serve</c> after an import) does not keep the old file. The
/// file is only ever replaced by renaming a new one over it, never written in place, so the pages stay those read.
/// </summary>
internal sealed unsafe class SnapshotMapping
{
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    private SnapshotMapping(MemoryMappedViewAccessor view, byte* start, int length)
    {
        _view = view;
        _start = start;
        Length = length;
    }

    /// <summary>The file's length in bytes.</summary>
    public int Length { get; }

    /// <summary>The whole file.</summary>
    public ReadOnlySpan<byte> Bytes => new(_start, Length);

    /// <summary>Maps <paramref name="file"/> (not empty, at most 2 GiB) read-only; the file may be closed afterwards.</summary>
    public static SnapshotMapping Map(FileStream file)
    {
        int length = checked((int)file.Length);
        using var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        PopulateOnLinux(start, (nuint)(view.PointerOffset + length));

        // The view starts at the page the file's offset 0 is on: the pointer is the file's first byte.
        return new SnapshotMapping(view, start + view.PointerOffset, length);
    }

    /// <summary>
    /// Maps every page of the view at once (<c>MADV_POPULATE_READ</c>, Linux 5.14): the load reads the whole file for its
    /// checksum, which faulted its 13 MB in ~200 pieces of 64 KB, each fault tens of microseconds on the VMs measured
    /// (~9-17 ms against ~0.7 ms for one call mapping it all, docs/benchmarks.md, session 49). Advice only: an older
    /// kernel refuses it and the pages are faulted in as before.
    /// </summary>
    private static void PopulateOnLinux(byte* start, nuint length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = madvise(start, length, MadvPopulateRead);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc under that name: nothing advised.
        }
    }

    private const int MadvPopulateRead = 22;

    [DllImport("libc")]
    private static extern int madvise(byte* address, nuint length, int advice);

    /// <summary>The <paramref name="count"/> numbers at byte <paramref name="offset"/> (aligned, checked by the reader), in place.</summary>
    public SnapshotTable<T> Table<T>(int offset, int count)
        where T : unmanaged => new(this, (T*)(_start + offset), count);

    /// <summary>Unmaps now: for a load that failed or was stale, whose tables nothing reads.</summary>
    public void Unmap()
    {
        GC.SuppressFinalize(this);
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
    }

    // The view's handle unmaps when its count of users is back to zero: at once when its own finalizer has run already,
    // else when it runs (both are unreachable by now).
    ~SnapshotMapping() => _view.SafeMemoryMappedViewHandle.ReleasePointer();
}

/// <summary>
/// An array of numbers of an index: a managed array (an index built, or read from a byte array), or a range of a mapped
/// snapshot read in place, which it keeps mapped. Read through <see cref="Span"/> (bounds-checked like an array); a method
/// that holds such a span past its last use of the table's owner keeps the owner alive (<see cref="GC.KeepAlive"/>), so
/// that the mapping cannot be released under it.
/// </summary>
internal readonly unsafe struct SnapshotTable<T>
    where T : unmanaged
{
    private readonly T[]? _array;

    // Never read: held so that the mapping _start points into stays mapped while the table is reachable.
    private readonly SnapshotMapping? _mapping;
    private readonly T* _start;

    public SnapshotTable(T[] array)
    {
        _array = array;
        Length = array.Length;
    }

    public SnapshotTable(SnapshotMapping mapping, T* start, int length)
    {
        _mapping = mapping;
        _start = start;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<T> Span => _array is not null ? _array : new ReadOnlySpan<T>(_start, Length);
}

/// <summary>
/// Strings of an index: an array, or strings left in a mapped snapshot (<see cref="SnapshotReader.ReadStringTable"/>),
/// decoded each time one is read. The index reads a name's source when it first scores the name (and keeps what it
/// derives from it) and when it explains a match: a short process reads a few dozen of the 20,000, so decoding them all
/// at load was wasted.
/// </summary>
internal sealed class SnapshotStrings : IReadOnlyList<string>
{
    private readonly string[]? _array;
    private readonly SnapshotTable<byte> _bytes;
    private readonly int[]? _starts;

    public SnapshotStrings(string[] array)
    {
        _array = array;
    }

    /// <summary>Strings in place: each one's length and UTF-8 bytes at <paramref name="starts"/> in <paramref name="bytes"/> (one start more, the end).</summary>
    public SnapshotStrings(SnapshotTable<byte> bytes, int[] starts)
    {
        _bytes = bytes;
        _starts = starts;
    }

    public int Count => _array?.Length ?? (_starts!.Length - 1);

    /// <summary>Whether the strings are left in a mapped snapshot (each decoded when read), not an array.</summary>
    public bool InPlace => _array is null;

    /// <summary>The strings as an array when they are one (not <see cref="InPlace"/>), else null.</summary>
    public string[]? Array => _array;

    public string this[int index]
    {
        get
        {
            if (_array is not null)
            {
                return _array[index];
            }

            var reader = new SnapshotReader(_bytes.Span, _starts![index], _starts[index + 1]);
            string value = reader.ReadString();
            GC.KeepAlive(this); // the bytes may be in a mapped snapshot, which this keeps mapped
            return value;
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
