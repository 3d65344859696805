using System.Globalization;
using System.Text.Json;
using Clearance.Model;
using Clearance.Screening;
using Clearance.Screening.Lists;

namespace Clearance.Application;

/// <summary>One party read from a screening input file.</summary>
public sealed record PartyRecord(string Id, string Name, string? Country, EntityKind? Kind, string? BirthDate, string? Address);

/// <summary>One pair of names read from a pairs input file.</summary>
public sealed record NamePairRecord(string Id, string Name1, string Name2, EntityKind? Kind);

/// <summary>One record of an input file: what was read, or why the line could not be read.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Line">The line number in the input (a CSV record's first line).</param>
/// <param name="Id">The record's id when readable (also for a line in error).</param>
/// <param name="Record">The record; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">The problem, with a code and a message naming the line and field.</param>
public sealed record InputLine<T>(long Line, string? Id, T? Record, LineError? Error)
    where T : class;

/// <summary>A problem with a screening input or option that stops the command (the batch reader reports per line instead).</summary>
public sealed class ScreenInputException(string message) : Exception(message);

/// <summary>
/// Reads screening input from a stream of UTF-8 (transcode other encodings first, <see cref="InputEncoding"/>): JSON
/// Lines (one object per line) or CSV (a header row naming the columns, or the columns id,name,country,type,dob,address
/// in that order). A bad line is an error record on its line and reading goes on; a CSV record that cannot be
/// delimited (an unclosed quote, invalid bytes) ends the readable part of the input, as in <c>check</c>.
/// </summary>
public static class ScreenInput
{
    private static readonly string[] PartyColumns = ["id", "name", "country", "type", "dob", "address"];
    private static readonly string[] PairColumns = ["id", "name1", "name2", "schema"];

    /// <summary>The parties of <paramref name="source"/>, lazily; <paramref name="name"/> names the input in errors.</summary>
    /// <param name="source">UTF-8 bytes (a byte-order mark is skipped).</param>
    /// <param name="name">The file name, or "-" for standard input.</param>
    /// <param name="csv">CSV; else JSON Lines.</param>
    /// <exception cref="ScreenInputException">A CSV header names a column that is not a party field (raised on the first read).</exception>
    public static IEnumerable<InputLine<PartyRecord>> ReadParties(Stream source, string name, bool csv) =>
        Read(source, name, csv, PartyColumns, Party, strict: true);

    /// <summary>The name pairs of <paramref name="source"/>, lazily; other fields (labels of an evaluation set) are ignored.</summary>
    /// <param name="source">UTF-8 bytes.</param>
    /// <param name="name">The file name, or "-" for standard input.</param>
    /// <param name="csv">CSV; else JSON Lines.</param>
    public static IEnumerable<InputLine<NamePairRecord>> ReadPairs(Stream source, string name, bool csv) =>
        Read(source, name, csv, PairColumns, Pair, strict: false);

    /// <summary>Reads "person", "organization", "vessel", "aircraft", FollowTheMoney schemata, or "any"/empty (null).</summary>
    /// <exception cref="ScreenInputException">Another value; the message names <paramref name="source"/>.</exception>
    public static EntityKind? ParseKind(string? value, string source) =>
        TryParseKind(value, out EntityKind? kind) ? kind
            : throw new ScreenInputException($"{source}: '{StrictText.Shorten(value!)}' is not one of person, organization, vessel, aircraft, any");

    private static bool TryParseKind(string? value, out EntityKind? kind)
    {
        kind = value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "any" => null,
            "person" => EntityKind.Person,
            "organization" or "organisation" or "company" or "legalentity" or "entity" => EntityKind.Organization,
            "vessel" => EntityKind.Vessel,
            "aircraft" or "airplane" => EntityKind.Aircraft,
            _ => EntityKind.Unknown,
        };
        return kind != EntityKind.Unknown;
    }

    /// <summary>Whether <paramref name="value"/> is a date of birth as the screening takes it: 1965, 1965-03 or 1965-03-12.</summary>
    public static bool IsBirthDate(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, @"^\d{4}(-\d{2}(-\d{2})?)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static InputLine<PartyRecord> Party(long line, Func<string, string?> field)
    {
        string id = field("id") ?? line.ToString(CultureInfo.InvariantCulture);
        if (field("name") is not { } name)
        {
            return Failed<PartyRecord>(line, field("id"), "missing-field", $"line {line}: missing required field 'name'");
        }

        string? country = field("country");
        if (country is not null)
        {
            if (!ShipmentFields.TryParseCountry(country, out CountryCode code))
            {
                return Failed<PartyRecord>(line, id, "unknown-country",
                    $"line {line}: field 'country': {CountryNames.NotACountry(StrictText.Shorten(country))}");
            }

            country = code.Value;
        }

        if (!TryParseKind(field("type"), out EntityKind? kind))
        {
            return Failed<PartyRecord>(line, id, "invalid-field",
                $"line {line}: field 'type': '{StrictText.Shorten(field("type")!)}' is not one of person, organization, vessel, aircraft, any");
        }

        string? dob = field("dob");
        if (dob is not null && !IsBirthDate(dob))
        {
            return Failed<PartyRecord>(line, id, "invalid-field", $"line {line}: field 'dob': '{StrictText.Shorten(dob)}' is not 1965, 1965-03 or 1965-03-12");
        }

        return new InputLine<PartyRecord>(line, id, new PartyRecord(id, name, country, kind, dob, field("address")), null);
    }

    private static InputLine<NamePairRecord> Pair(long line, Func<string, string?> field)
    {
        string id = field("id") ?? line.ToString(CultureInfo.InvariantCulture);
        foreach (string required in (string[])["name1", "name2"])
        {
            if (field(required) is null)
            {
                return Failed<NamePairRecord>(line, field("id"), "missing-field", $"line {line}: missing required field '{required}'");
            }
        }

        if (!TryParseKind(field("schema"), out EntityKind? kind))
        {
            return Failed<NamePairRecord>(line, id, "invalid-field",
                $"line {line}: field 'schema': '{StrictText.Shorten(field("schema")!)}' is not one of person, organization, vessel, aircraft, any");
        }

        return new InputLine<NamePairRecord>(line, id, new NamePairRecord(id, field("name1")!, field("name2")!, kind), null);
    }

    private static InputLine<T> Failed<T>(long line, string? id, string code, string message)
        where T : class => new(line, id, null, new LineError(code, message));

    /// <summary>
    /// Reads records; with <paramref name="strict"/>, a field or column that is not one of <paramref name="columns"/> is an
    /// error naming the nearest known one, as a misspelled "contry" or "dob " would otherwise be dropped without a word.
    /// </summary>
    private static IEnumerable<InputLine<T>> Read<T>(
        Stream source, string name, bool csv, string[] columns, Func<long, Func<string, string?>, InputLine<T>> record, bool strict)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(name);
        return csv ? ReadCsv(source, name, columns, record, strict) : ReadJsonLines(source, columns, record, strict);
    }

    /// <summary>
    /// "unknown field 'contry': did you mean 'country'?", worded as <c>check</c> words it, or null when every name is
    /// known.
    /// </summary>
    private static string? Unknown(IEnumerable<string> names, string[] known, string what)
    {
        foreach (string name in names)
        {
            if (Array.IndexOf(known, name.Trim().ToLowerInvariant()) >= 0)
            {
                continue;
            }

            return $"unknown {what} '{StrictText.Shorten(name)}'"
                + (NearestName.Find(name, known) is { } nearest ? $": did you mean '{nearest}'?" : $" ({what}s: {string.Join(", ", known)})");
        }

        return null;
    }

    private static IEnumerable<InputLine<T>> ReadJsonLines<T>(Stream source, string[] columns, Func<long, Func<string, string?>, InputLine<T>> record, bool strict)
        where T : class
    {
        foreach ((long line, ReadOnlyMemory<byte> text, LineError? error) in Utf8Lines.Read(source, StrictText.MaxLineLength))
        {
            if (error is not null)
            {
                yield return new InputLine<T>(line, null, null, error);
                continue;
            }

            if (text.Span.IndexOfAnyExcept(" \t"u8) < 0)
            {
                continue;
            }

            yield return JsonRecord(line, text, record, strict ? columns : null);
        }
    }

    private static InputLine<T> JsonRecord<T>(long line, ReadOnlyMemory<byte> text, Func<long, Func<string, string?>, InputLine<T>> record, string[]? known)
        where T : class
    {
        Dictionary<string, string?> values;
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Failed<T>(line, null, "malformed-json", $"line {line}: expected a JSON object");
            }

            values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }
        }
        catch (JsonException e)
        {
            return Failed<T>(line, null, "malformed-json", $"line {line}: malformed JSON: {JsonProblem(e)}");
        }

        Func<string, string?> field = key => values.TryGetValue(key, out string? v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return known is not null && Unknown(values.Keys, known, "field") is { } unknown
            ? Failed<T>(line, field("id"), "unknown-field", $"line {line}: {unknown}")
            : record(line, field);
    }

    /// <summary>The JSON reader's message without its internal position counters, and the byte it stopped at.</summary>
    private static string JsonProblem(JsonException e)
    {
        string message = e.Message;
        int internals = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (internals >= 0)
        {
            message = message[..internals];
        }

        return e.BytePositionInLine is { } position
            ? FormattableString.Invariant($"{message.TrimEnd('.')} (at byte {position + 1})")
            : message;
    }

    /// <summary>The next record (false at the end), or the error that keeps it from being delimited (true, <paramref name="broken"/> set).</summary>
    private static bool TryRead(DelimitedReader reader, List<string> fields, out ListFormatException? broken)
    {
        broken = null;
        try
        {
            return reader.TryRead(fields);
        }
        catch (ListFormatException e)
        {
            broken = e;
            return true;
        }
    }

    private static IEnumerable<InputLine<T>> ReadCsv<T>(
        Stream source, string name, string[] defaultColumns, Func<long, Func<string, string?>, InputLine<T>> record, bool strict)
        where T : class
    {
        using var reader = new DelimitedReader(StrictText.OpenUtf8(source), name);
        string[]? columns = null;
        var fields = new List<string>();
        while (TryRead(reader, fields, out ListFormatException? broken))
        {
            if (broken is not null)
            {
                // An unclosed quote or bad bytes: where the next record starts is unknown, so the readable part ends here.
                long at = Math.Max(broken.Line, 1);
                yield return Failed<T>(at, null, "invalid-csv", broken.Message + "; the rest of the input is not read");
                yield break;
            }

            long line = reader.RecordLine;
            if (columns is null)
            {
                // A first row that names any known column is a header (and every other name in it must be known too:
                // "id,nam" is a misspelt header, not a party called "nam"); else the columns are in their default order.
                string[] named = [.. fields.Select(f => f.Trim().ToLowerInvariant())];
                columns = named.Any(defaultColumns.Contains) ? named : defaultColumns;
                if (columns == named)
                {
                    if (strict && Unknown(named.Where(c => c.Length > 0), defaultColumns, "column") is { } unknown)
                    {
                        // As in check: a header the contract does not have stops the input before anything is screened.
                        throw new ScreenInputException($"{name}:{line}: {unknown}");
                    }

                    continue;
                }
            }

            if (fields.Count > columns.Length)
            {
                yield return Failed<T>(line, null, "invalid-csv", $"line {line}: {fields.Count} fields, the header has {columns.Length}");
                continue;
            }

            string[] row = [.. fields];
            string[] header = columns;
            yield return record(line, key =>
            {
                int index = Array.IndexOf(header, key);
                return index >= 0 && index < row.Length && !string.IsNullOrWhiteSpace(row[index]) ? row[index].Trim() : null;
            });
        }
    }
}

/// <summary>
/// The lines of a UTF-8 stream as bytes, each checked to be valid UTF-8, read in blocks and never held whole. A line
/// with invalid bytes is an error on its line, and reading goes on with the next line; a line longer than the limit is
/// an error that ends the input (as in <c>check</c>: an endless line must not keep a batch reading for ever). A
/// byte-order mark at the start is skipped.
/// </summary>
internal static class Utf8Lines
{
    private const int BlockSize = 1 << 16;

    /// <summary>
    /// Each line (without its line break, a trailing CR removed) with its number, or the error on it. A line's bytes
    /// are valid until the next line is read (the block buffer is reused).
    /// </summary>
    public static IEnumerable<(long Line, ReadOnlyMemory<byte> Text, LineError? Error)> Read(Stream source, int maxLineLength)
    {
        byte[] buffer = new byte[BlockSize];
        int start = 0, end = 0;
        bool eof = false;
        while (end < 3 && !eof)
        {
            int read = Read(source, buffer.AsSpan(end), out LineError? failed);
            if (failed is not null)
            {
                yield return (1, default, failed);
                yield break;
            }

            eof = read == 0;
            end += read;
        }

        if (buffer.AsSpan(0, end).StartsWith("\uFEFF"u8))
        {
            start = 3;
        }

        long line = 0;
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0 && !eof)
            {
                if (end - start > maxLineLength)
                {
                    // Too long: an endless line (/dev/zero) must end with an error, not keep the batch reading for ever.
                    yield return (line + 1, default, TooLong(line + 1, buffer.AsSpan(start, end - start), maxLineLength));
                    yield break;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                int read = Read(source, buffer.AsSpan(end), out LineError? failed);
                if (failed is not null)
                {
                    // A transcoded input (--encoding) with bytes invalid in its encoding: the rest cannot be read.
                    yield return (line + 1, default, failed);
                    yield break;
                }

                eof = read == 0;
                end += read;
                continue;
            }

            if (newline < 0 && start == end)
            {
                yield break;
            }

            int length = newline < 0 ? end - start : newline;
            int lineStart = start;
            start += newline < 0 ? length : length + 1;
            line++;
            if (length > 0 && buffer[lineStart + length - 1] == '\r')
            {
                length--;
            }

            var text = new ReadOnlyMemory<byte>(buffer, lineStart, length);
            if (length > maxLineLength)
            {
                yield return (line, default, TooLong(line, text.Span, maxLineLength));
                yield break;
            }

            yield return System.Text.Unicode.Utf8.IsValid(text.Span) ? (line, text, null)
                : (line, default, new LineError("invalid-utf8", $"line {line}: bytes that are not valid UTF-8: the input is in another encoding (--encoding) or damaged"));
        }
    }

    private static int Read(Stream source, Span<byte> buffer, out LineError? error)
    {
        error = null;
        try
        {
            return source.Read(buffer);
        }
        catch (InputEncodingException e)
        {
            // The transcoding stream of --encoding names the bytes and the encoding itself.
            error = new LineError("invalid-encoding", $"{e.Message}: the rest of the input is not read");
            return 0;
        }
    }

    private static LineError TooLong(long line, ReadOnlySpan<byte> start, int maxLineLength) => new("line-too-long",
        $"line {line}: longer than the maximum of {maxLineLength:N0} bytes (starts {StrictText.Quote(System.Text.Encoding.UTF8.GetString(start[..Math.Min(start.Length, StrictText.MaxQuotedLength)]))}): the rest of the input is not read");
}
