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

    /// <summary>The longest text accepted in one element, in characters (<see cref="StrictText.MaxLineLength"/>).</summary>
    public const int MaxTextLength = StrictText.MaxLineLength;

    /// <param name="path">The file.</param>
    /// <param name="rootName">The local name the root element must have (namespace ignored).</param>
    /// <param name="formatName">The format, for the wrong-root message ("an EU financial sanctions file").</param>
    /// <param name="recordNames">Local names of the elements to read whole, at any depth.</param>
    public static IEnumerable<XmlRecord> Read(string path, string rootName, string formatName, IReadOnlySet<string> recordNames)
    {
        using var reader = Open(path);
        var lineInfo = (IXmlLineInfo)reader;
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
                        record = new XmlRecord(RootWithAttributes(reader), lineInfo.LineNumber);
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
        if (!rootSeen)
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
        var record = StartElement(reader);
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
                    var child = StartElement(reader);
                    current.Add(child);
                    if (!reader.IsEmptyElement)
                        current = child;
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    current.Add(new XText(ReadText(reader, text, path, lineInfo, current.Name.LocalName)));
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

    private static XElement StartElement(XmlReader reader)
    {
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return element;
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

    private static XElement RootWithAttributes(XmlReader reader)
    {
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

    private static XmlReader Open(string path)
    {
        try
        {
            return XmlReader.Create(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), SafeSettings);
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
