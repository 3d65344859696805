using System.Xml;
using System.Xml.Linq;

namespace Clearance.Screening.Lists;

/// <summary>One element read whole from a list file, with the line it starts on.</summary>
/// <param name="Element">The element and its content (for the root: its attributes only).</param>
/// <param name="Line">1-based line of the element's start tag.</param>
internal readonly record struct XmlRecord(XElement Element, long Line);

/// <summary>
/// Streams the records of an XML list file: the root element (attributes only) first, then each element whose local name
/// is one of the record names, read whole and one at a time, so a large file never becomes one DOM. DTDs are prohibited
/// and nothing is resolved (<see cref="SafeSettings"/>); every XML or encoding problem becomes a
/// <see cref="ListFormatException"/> with the file and line.
/// </summary>
internal static class XmlRecordReader
{
    /// <summary>
    /// The deepest element nesting accepted (the root is depth 0). Real list files nest fewer than 10 levels; a limit
    /// keeps a hostile file from costing quadratic time and overflowing the stack (200,000 levels once crashed the process).
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The longest text accepted in one element, and the longest attribute value, in characters
    /// (<see cref="StrictText.MaxLineLength"/>).
    /// </summary>
    public const int MaxTextLength = StrictText.MaxLineLength;

    /// <summary>The most attributes one element may have: list files use a handful.</summary>
    public const int MaxAttributes = 256;

    /// <summary>
    /// The most elements one record (an entry: INDIVIDUAL, sanctionEntity, Designation) may hold, itself included: real
    /// records hold fewer than a few hundred; the limit keeps one hostile record from filling memory.
    /// </summary>
    public const int MaxRecordElements = 100_000;

    /// <summary>The most characters of text and attribute values one record may hold in all (16 MiB).</summary>
    public const int MaxRecordLength = 16 << 20;

    /// <summary>
    /// The most bytes one piece of the file may have (8 MiB): a tag with all its attributes, a text between tags, a
    /// comment, a CDATA section, a processing instruction. The XML reader holds such a piece whole before any of the limits
    /// above can be checked on what it read, so this bounds its memory (<see cref="XmlPieceGuard"/>, on the bytes: a
    /// 166 MB attribute value ends after 8 MiB). Text and attribute values within their limits stay well under it, even
    /// when written with character references.
    /// </summary>
    public const int MaxPieceBytes = 8 << 20;

    /// <param name="path">The file.</param>
    /// <param name="rootName">The local name the root element must have (namespace ignored).</param>
    /// <param name="formatName">The format, for the wrong-root message ("an EU financial sanctions file").</param>
    /// <param name="recordNames">Local names of the elements to read whole, at any depth.</param>
    public static IEnumerable<XmlRecord> Read(string path, string rootName, string formatName, IReadOnlySet<string> recordNames)
    {
        using var reader = Open(path, out var guard);
        var lineInfo = (IXmlLineInfo)reader;
        var blank = false;
        var rootSeen = false;
        var positioned = false; // XNode.ReadFrom leaves the reader on the node after the record
        while (true)
        {
            XmlRecord? record = null;
            try
            {
                while (record is null)
                {
                    if (!positioned && !reader.Read())
                        break;
                    positioned = false;
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
                            SkipText(reader, path, lineInfo);
                        continue;
                    }
                    CheckDepth(reader, path, lineInfo);
                    if (!rootSeen)
                    {
                        if (reader.LocalName != rootName)
                            throw new ListFormatException(path, lineInfo.LineNumber, reader.LocalName, $"the root element is not {rootName}: not {formatName}");
                        rootSeen = true;
                        record = new XmlRecord(RootWithAttributes(reader, path, lineInfo), lineInfo.LineNumber);
                        continue;
                    }
                    if (recordNames.Contains(reader.LocalName))
                    {
                        var line = lineInfo.LineNumber;
                        record = new XmlRecord(ReadElement(reader, path, lineInfo), line);
                        positioned = true;
                    }
                }
            }
            catch (XmlException) when (!rootSeen && guard.Blank)
            {
                blank = true; // an empty file (or only a BOM and white space) has no entries: the store refuses it as such
            }
            catch (XmlException e)
            {
                throw new ListFormatException(path, e.LineNumber > 0 ? e.LineNumber : LineOfDoctype(path, lineInfo.LineNumber), null, XmlProblem(e), e);
            }
            catch (System.Text.DecoderFallbackException e)
            {
                throw new ListFormatException(path, lineInfo.LineNumber, null, "bytes that are not valid in the declared encoding: the file is in another encoding or damaged", e);
            }
            if (record is null)
                break;
            yield return record.Value;
        }
        if (!rootSeen && !blank)
            throw new ListFormatException(path, 0, null, "no XML element in the file");
    }

    /// <summary>Reader settings for every XML list file: no DTD, no external resolution, no entity expansion.</summary>
    internal static XmlReaderSettings SafeSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024, // defence in depth: with DTDs prohibited no entity can be declared at all
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>.NET reports a prohibited DTD without position: find the DOCTYPE line (only on this error path).</summary>
    internal static long LineOfDoctype(string path, long fallback)
    {
        long number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Contains("<!DOCTYPE", StringComparison.Ordinal))
                return number;
        }
        return fallback;
    }

    /// <summary>Says in words why a hostile or damaged XML file is refused.</summary>
    internal static string XmlProblem(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? "the file declares a DTD, which list files never need and which can carry external-entity (XXE) or entity-expansion attacks: refused"
            : e.InnerException is System.Text.DecoderFallbackException || e.Message.Contains("Invalid character in the given encoding", StringComparison.Ordinal)
                ? $"bytes that are not valid in the declared encoding: the file is in another encoding or damaged ({StrictText.Shorten(e.Message)})"
                : $"malformed XML (truncated file?): {StrictText.Shorten(e.Message)}";

    /// <summary>
    /// Reads the element the reader is on, whole, and leaves the reader on the node after it (as XNode.ReadFrom does,
    /// but iteratively, checking the depth and the size of each text as it goes).
    /// </summary>
    private static XElement ReadElement(XmlReader reader, string path, IXmlLineInfo lineInfo)
    {
        var size = new RecordSize(path, lineInfo.LineNumber, reader.LocalName);
        var record = StartElement(reader, path, lineInfo, size);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return record;
        }
        var current = record;
        var text = new System.Text.StringBuilder();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    CheckDepth(reader, path, lineInfo);
                    var child = StartElement(reader, path, lineInfo, size);
                    current.Add(child);
                    if (!reader.IsEmptyElement)
                        current = child;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    var value = ReadText(reader, text, path, lineInfo, current.Name.LocalName);
                    size.AddText(value.Length);
                    current.Add(new XText(value));
                    break;
                case XmlNodeType.EndElement:
                    if (current == record)
                    {
                        reader.Read();
                        return record;
                    }
                    current = current.Parent!;
                    break;
            }
        }
        return record; // the reader reports an unclosed element itself, before the end
    }

    private static XElement StartElement(XmlReader reader, string path, IXmlLineInfo lineInfo, RecordSize size)
    {
        size.AddElement();
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        CheckAttributes(reader, path, lineInfo);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                size.AddText(reader.Value.Length);
                element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return element;
    }

    /// <summary>Refuses an element (the reader is on it) with more than <see cref="MaxAttributes"/> attributes or a value over <see cref="MaxTextLength"/>.</summary>
    private static void CheckAttributes(XmlReader reader, string path, IXmlLineInfo lineInfo)
    {
        if (reader.AttributeCount > MaxAttributes)
            throw new ListFormatException(path, lineInfo.LineNumber, reader.LocalName,
                $"{reader.AttributeCount:N0} attributes on one element, more than the maximum of {MaxAttributes}: list files never have so many (hostile or damaged file)");
        var element = reader.LocalName;
        for (var i = 0; i < reader.AttributeCount; i++)
        {
            reader.MoveToAttribute(i);
            if (reader.Value.Length > MaxTextLength)
            {
                var (name, value, line) = (reader.LocalName, reader.Value, lineInfo.LineNumber); // the attribute's own line
                reader.MoveToElement();
                throw new ListFormatException(path, line, element,
                    $"attribute {StrictText.Quote(name)} longer than the maximum of {MaxTextLength:N0} characters (starts {StrictText.Quote(value)})");
            }
        }
        reader.MoveToElement();
    }

    /// <summary>Counts the elements and characters of one record against <see cref="MaxRecordElements"/> and <see cref="MaxRecordLength"/>.</summary>
    private sealed class RecordSize(string path, long line, string record)
    {
        private int _elements;
        private long _characters;

        public void AddElement()
        {
            if (++_elements > MaxRecordElements)
                throw new ListFormatException(path, line, record,
                    $"a record of more than {MaxRecordElements:N0} elements: list entries never are so large (hostile or damaged file)");
        }

        public void AddText(int length)
        {
            _characters += length;
            if (_characters > MaxRecordLength)
                throw new ListFormatException(path, line, record,
                    $"a record of more than {MaxRecordLength:N0} characters of text: list entries never are so large (hostile or damaged file)");
        }
    }

    private static void CheckDepth(XmlReader reader, string path, IXmlLineInfo lineInfo)
    {
        if (reader.Depth > MaxDepth)
            throw new ListFormatException(path, lineInfo.LineNumber, reader.LocalName,
                $"elements nested more than {MaxDepth} levels deep: list files never are (hostile or damaged file)");
    }

    /// <summary>The text node the reader is on, read in chunks so a huge one is refused before it is held whole.</summary>
    private static string ReadText(XmlReader reader, System.Text.StringBuilder text, string path, IXmlLineInfo lineInfo, string? element)
    {
        text.Clear();
        var line = lineInfo.LineNumber;
        var buffer = new char[4096];
        int read;
        while ((read = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length + read > MaxTextLength)
                throw new ListFormatException(path, line, element,
                    $"text longer than the maximum of {MaxTextLength:N0} characters in one element (starts {StrictText.Quote(text.ToString())})");
            text.Append(buffer, 0, read);
        }
        return text.ToString();
    }

    private static void SkipText(XmlReader reader, string path, IXmlLineInfo lineInfo) =>
        ReadText(reader, new System.Text.StringBuilder(), path, lineInfo, null);

    private static XElement RootWithAttributes(XmlReader reader, string path, IXmlLineInfo lineInfo)
    {
        CheckAttributes(reader, path, lineInfo);
        var root = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.Prefix != "xmlns" && reader.LocalName != "xmlns")
                    root.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return root;
    }

    private static XmlReader Open(string path, out XmlPieceGuard guard)
    {
        try
        {
            guard = new XmlPieceGuard(ListText.OpenRead(path), path);
            return XmlReader.Create(guard, SafeSettings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ListFormatException(path, 0, null, $"cannot open the file: {e.Message}", e);
        }
    }

    /// <summary>The trimmed text of the first child with this local name (any namespace), or null when absent or blank.</summary>
    public static string? ChildText(XElement parent, string localName)
    {
        foreach (var child in parent.Elements())
        {
            if (child.Name.LocalName == localName)
                return NullIfBlank(child.Value);
        }
        return null;
    }

    /// <summary>The children with this local name (any namespace).</summary>
    public static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    /// <summary>The descendants with this local name (any namespace).</summary>
    public static IEnumerable<XElement> Descendants(XElement parent, string localName) =>
        parent.Descendants().Where(e => e.Name.LocalName == localName);

    /// <summary>The trimmed value of an attribute, or null when absent or blank.</summary>
    public static string? Attribute(XElement element, string name) => NullIfBlank(element.Attribute(name)?.Value);

    private static string? NullIfBlank(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
