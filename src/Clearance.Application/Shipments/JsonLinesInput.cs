using Clearance.Screening.Lists;

namespace Clearance.Application;

/// <summary>
/// Shipments from a JSON Lines stream, read in 1 MB blocks and never held whole: each line is read in place by
/// <see cref="JsonLineReader"/>; blank lines are skipped (and counted, so error line numbers are the file's). A UTF-8
/// byte-order mark at the start is skipped. A line longer than <see cref="StrictText.MaxLineLength"/> bytes is an
/// error on its line, found while reading (the rest of it is skipped, never buffered), so an endless line cannot fill memory.
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
        var skippingLongLine = false;
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
                if (skippingLongLine)
                {
                    // The rest of a line already reported as too long: drop it up to its line break.
                    if (newline < 0)
                    {
                        start = end;
                        break;
                    }

                    start += newline + 1;
                    skippingLongLine = false;
                    continue;
                }

                if (newline < 0 && end - start > maxLineLength)
                {
                    lineNumber++;
                    skippingLongLine = true;
                    yield return new ShipmentLine(lineNumber, null, null, ShipmentFields.Malformed(lineNumber,
                        $"line longer than the maximum of {maxLineLength:N0} bytes (starts {StrictText.Quote(System.Text.Encoding.UTF8.GetString(buffer, start, Math.Min(end - start, StrictText.MaxQuotedLength)))})"));
                    start = end;
                    break;
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
                    yield return new ShipmentLine(lineNumber, null, null, ShipmentFields.Malformed(lineNumber, $"line longer than the maximum of {maxLineLength:N0} bytes"));
                    continue;
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
}
