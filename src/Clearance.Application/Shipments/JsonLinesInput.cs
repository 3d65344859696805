namespace Clearance.Application;

/// <summary>
/// Shipments from a JSON Lines stream, read in 1 MB blocks and never held whole: each line is read in place by
/// <see cref="JsonLineReader"/>; blank lines are skipped (and counted, so error line numbers are the file's).
/// </summary>
public static class JsonLinesInput
{
    private const int BlockSize = 1 << 20;

    /// <summary>The shipments of <paramref name="input"/>, lazily; <paramref name="progress"/> receives the bytes consumed after each block.</summary>
    public static IEnumerable<ShipmentLine> Read(Stream input, Action<long>? progress = null)
    {
        var reader = new JsonLineReader();
        var buffer = new byte[BlockSize];
        int start = 0, end = 0;
        long lineNumber = 0, consumed = 0;
        while (true)
        {
            var read = input.Read(buffer, end, buffer.Length - end);
            end += read;
            var eof = read == 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
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
                Array.Resize(ref buffer, buffer.Length * 2); // one line longer than a block
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
