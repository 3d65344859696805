using Clearance.Screening.Lists;

namespace Clearance.Application;

/// <summary>
/// Shipments from a JSON Lines stream, read in 1 MB blocks and never held whole: each line is read in place by
/// <see cref="JsonLineReader"/>; blank lines are skipped (and counted, so error line numbers are the file's). A UTF-8
/// byte-order mark at the start is skipped. A line longer than <see cref="StrictText.MaxLineLength"/> bytes is an
/// error on its line, found while reading, and ends the input (as a damaged CSV record does): an endless line
/// (<c>/dev/zero</c>) neither fills memory nor keeps the batch reading for ever.
/// </summary>
public static class JsonLinesInput
{
    private const int BlockSize = 1 << 20;

    /// <summary>The shipments of <paramref name="input"/>, lazily; <paramref name="progress"/> receives the bytes consumed after each block.</summary>
    public static IEnumerable<ShipmentLine> Read(Stream input, Action<long>? progress = null) =>
        Read(input, StrictText.MaxLineLength, progress);

    /// <summary>As <see cref="Read(Stream, Action{long}?)"/>, with lines of at most <paramref name="maxLineLength"/> bytes.</summary>
    public static IEnumerable<ShipmentLine> Read(Stream input, int maxLineLength, Action<long>? progress = null)
    {
        var reader = new JsonLineReader();
        // A block (smaller under a small limit), grown for a line longer than a block: at most to twice the limit.
        var buffer = new byte[Math.Min(BlockSize, maxLineLength + 1)];
        int start = 0, end = 0;
        long lineNumber = 0, consumed = 0;
        var first = true;
        while (true)
        {
            var read = input.Read(buffer, end, buffer.Length - end);
            end += read;
            var eof = read == 0;
            if (first && (end >= 3 || eof))
            {
                first = false;
                if (buffer.AsSpan(0, end).StartsWith("\uFEFF"u8))
                {
                    start = 3; // the BOM is not part of line 1
                }
            }
            else if (first)
            {
                continue; // fewer than 3 bytes so far: wait before judging the BOM
            }

            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline < 0 && end - start > maxLineLength)
                {
                    yield return TooLong(buffer.AsSpan(start, end - start), lineNumber + 1, maxLineLength);
                    yield break;
                }

                if (newline < 0 && !(eof && start < end))
                {
                    break;
                }

                var lineStart = start;
                var length = newline < 0 ? end - start : newline;
                start += newline < 0 ? length : length + 1;
                lineNumber++;
                if (length > 0 && buffer[lineStart + length - 1] == '\r')
                {
                    length--;
                }

                if (length > maxLineLength)
                {
                    yield return TooLong(buffer.AsSpan(lineStart, length), lineNumber, maxLineLength);
                    yield break;
                }

                if (buffer.AsSpan(lineStart, length).IndexOfAnyExcept(" \t"u8) < 0)
                {
                    continue;
                }

                yield return reader.Read(buffer.AsSpan(lineStart, length), lineNumber);
            }

            if (eof)
            {
                break;
            }

            consumed += start;
            progress?.Invoke(consumed);
            if (start == 0 && end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // one line longer than a block (bounded by the line limit)
            }
            else
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
        }
    }

    private static ShipmentLine TooLong(ReadOnlySpan<byte> line, long lineNumber, int maxLineLength)
    {
        var start = System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, StrictText.MaxQuotedLength)]);
        return new ShipmentLine(lineNumber, null, null, ShipmentFields.Malformed(lineNumber,
            $"line longer than the maximum of {maxLineLength:N0} bytes (starts {StrictText.Quote(start)}): the rest of the input is not read"));
    }
}
