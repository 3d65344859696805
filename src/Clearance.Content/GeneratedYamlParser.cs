using System.Runtime.CompilerServices;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Clearance.Content;

/// <summary>
/// A YAML parser for the files the content generators write (the first line starts with <see cref="Marker"/>; today the
/// EAR's Commerce Control List, 1 MB): block mappings and sequences indented by spaces, one-line flow mappings and
/// sequences, double-quoted and plain one-line scalars, whole-line comments. It gives YamlDotNet's representation model
/// the events YamlDotNet's own parser would (same values, same lines), so the loader reads the same node tree; it exists
/// because YamlDotNet's scanner, run once per process in code the JIT has not optimised yet, took about a third of the
/// start of <c>clearance check</c>. Any other construct (a block scalar, an anchor, a comment after a value, tabs, CRLF,
/// a multi-line flow...) makes <see cref="TryCreate"/> return null and the file is read by YamlDotNet as any
/// hand-written file is: a generator that changes its layout costs speed, never correctness.
/// </summary>
internal sealed class GeneratedYamlParser : IParser
{
    /// <summary>How a generated file begins (its first comment line).</summary>
    public const string Marker = "# GENERATED";

    private readonly string _text;
    private readonly List<ParsingEvent> _events = [];
    private int _next;
    private int _lineStart; // index of the first character of the current line
    private int _line = 1; // its number, from 1 as YamlDotNet counts

    private GeneratedYamlParser(string text)
    {
        _text = text;
    }

    /// <inheritdoc />
    public ParsingEvent? Current { get; private set; }

    /// <summary>The parser of a generated file, or null when the file is not generated or leaves the layout this reads.</summary>
    public static IParser? TryCreate(string text)
    {
        if (!text.StartsWith(Marker, StringComparison.Ordinal))
        {
            return null;
        }

        var parser = new GeneratedYamlParser(text);
        try
        {
            parser.ReadStream();
        }
        catch (UnsupportedLayoutException)
        {
            return null;
        }

        return parser;
    }

    /// <inheritdoc />
    public bool MoveNext()
    {
        if (_next < _events.Count)
        {
            Current = _events[_next++];
            return true;
        }

        Current = null;
        return false;
    }

    [MethodImpl(HotPath.Compile)]
    private void ReadStream()
    {
        _events.Add(new StreamStart());
        _events.Add(new DocumentStart());
        if (!SkipBlankLines() || Indent() != 0)
        {
            throw new UnsupportedLayoutException();
        }

        ReadBlockNode(0);
        if (SkipBlankLines())
        {
            throw new UnsupportedLayoutException();
        }

        _events.Add(new DocumentEnd(true));
        _events.Add(new StreamEnd());
    }

    /// <summary>A block sequence or mapping whose first line is the current one, at <paramref name="indent"/>.</summary>
    private void ReadBlockNode(int indent)
    {
        var at = _lineStart + indent;
        if (IsSequenceEntry(at))
        {
            ReadBlockSequence(indent);
        }
        else
        {
            ReadBlockMapping(indent, at);
        }
    }

    private void ReadBlockSequence(int indent)
    {
        _events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block, Mark(_lineStart + indent), Mark(_lineStart + indent)));
        while (SkipBlankLines() && Indent() == indent && IsSequenceEntry(_lineStart + indent))
        {
            var at = _lineStart + indent + 2;
            if (KeyEnd(at) > 0)
            {
                // "- key: value": a mapping whose first entry shares the dash's line and whose others are under its key.
                ReadBlockMapping(indent + 2, at);
            }
            else
            {
                var end = ReadInline(at, flow: false);
                EndOfLine(end);
            }
        }

        // The sequence ends where its parent's next key or entry begins, less indented.
        if (_lineStart < _text.Length && Indent() >= indent)
        {
            throw new UnsupportedLayoutException();
        }

        _events.Add(new SequenceEnd(Mark(_lineStart), Mark(_lineStart)));
    }

    private void ReadBlockMapping(int indent, int firstKey)
    {
        _events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block, Mark(firstKey), Mark(firstKey)));
        var key = firstKey;
        while (true)
        {
            var keyEnd = KeyEnd(key);
            if (keyEnd < 0)
            {
                throw new UnsupportedLayoutException();
            }

            _events.Add(new Scalar(AnchorName.Empty, TagName.Empty, _text[key..keyEnd], ScalarStyle.Plain, true, false, Mark(key), Mark(keyEnd), true));
            var value = keyEnd + 1;
            if (value < _text.Length && _text[value] == ' ')
            {
                EndOfLine(ReadInline(value + 1, flow: false));
            }
            else
            {
                // "key:" alone: the value is the block below it, indented further (a null value is not written by generators).
                NextLine();
                if (!SkipBlankLines() || Indent() <= indent)
                {
                    throw new UnsupportedLayoutException();
                }

                ReadBlockNode(Indent());
            }

            if (!SkipBlankLines() || Indent() < indent)
            {
                break;
            }

            if (Indent() > indent || IsSequenceEntry(_lineStart + indent))
            {
                throw new UnsupportedLayoutException();
            }

            key = _lineStart + indent;
        }

        _events.Add(new MappingEnd(Mark(_lineStart), Mark(_lineStart)));
    }

    /// <summary>A one-line value from <paramref name="at"/>: a flow mapping or sequence, or a scalar; returns where it ends.</summary>
    private int ReadInline(int at, bool flow)
    {
        if (at >= _text.Length)
        {
            throw new UnsupportedLayoutException();
        }

        switch (_text[at])
        {
            case '{':
                _events.Add(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow, Mark(at), Mark(at)));
                at = ReadFlowEntries(at + 1, '}', mapping: true);
                _events.Add(new MappingEnd(Mark(at - 1), Mark(at)));
                return at;
            case '[':
                _events.Add(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow, Mark(at), Mark(at)));
                at = ReadFlowEntries(at + 1, ']', mapping: false);
                _events.Add(new SequenceEnd(Mark(at - 1), Mark(at)));
                return at;
            case '"':
                return ReadDoubleQuoted(at);
            default:
                return ReadPlain(at, flow);
        }
    }

    /// <summary>Flow entries after the opening bracket, up to and past <paramref name="close"/>, on one line.</summary>
    private int ReadFlowEntries(int at, char close, bool mapping)
    {
        if (at < _text.Length && _text[at] == close)
        {
            return at + 1;
        }

        while (true)
        {
            if (mapping)
            {
                var keyEnd = KeyEnd(at);
                if (keyEnd < 0 || keyEnd + 1 >= _text.Length || _text[keyEnd + 1] != ' ')
                {
                    throw new UnsupportedLayoutException();
                }

                _events.Add(new Scalar(AnchorName.Empty, TagName.Empty, _text[at..keyEnd], ScalarStyle.Plain, true, false, Mark(at), Mark(keyEnd), true));
                at = keyEnd + 2;
            }

            at = ReadInline(at, flow: true);
            if (at + 1 < _text.Length && _text[at] == ',' && _text[at + 1] == ' ')
            {
                at += 2;
            }
            else if (at < _text.Length && _text[at] == close)
            {
                return at + 1;
            }
            else
            {
                throw new UnsupportedLayoutException();
            }
        }
    }

    private int ReadDoubleQuoted(int at)
    {
        var builder = new StringBuilder();
        var i = at + 1;
        var runStart = i;
        while (true)
        {
            if (i >= _text.Length || _text[i] == '\n' || _text[i] == '\r')
            {
                throw new UnsupportedLayoutException();
            }

            var c = _text[i];
            if (c == '"')
            {
                builder.Append(_text, runStart, i - runStart);
                break;
            }

            if (c != '\\')
            {
                i++;
                continue;
            }

            builder.Append(_text, runStart, i - runStart);
            if (i + 1 >= _text.Length)
            {
                throw new UnsupportedLayoutException();
            }

            switch (_text[i + 1])
            {
                case '"':
                case '\\':
                case '/':
                    builder.Append(_text[i + 1]);
                    i += 2;
                    break;
                case 'n':
                    builder.Append('\n');
                    i += 2;
                    break;
                case 't':
                    builder.Append('\t');
                    i += 2;
                    break;
                case 'u' when i + 5 < _text.Length && ushort.TryParse(_text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var unit):
                    builder.Append((char)unit);
                    i += 6;
                    break;
                default:
                    throw new UnsupportedLayoutException();
            }

            runStart = i;
        }

        _events.Add(new Scalar(AnchorName.Empty, TagName.Empty, builder.ToString(), ScalarStyle.DoubleQuoted, false, true, Mark(at), Mark(i + 1)));
        return i + 1;
    }

    /// <summary>
    /// A plain scalar: to the end of the line (block) or to the next ", ", "}" or "]" (flow). Only text that cannot be
    /// read otherwise is taken: no indicator first, no ": " or " #" inside, no brackets in a flow, no trailing space.
    /// </summary>
    private int ReadPlain(int at, bool flow)
    {
        if (!char.IsAsciiLetterOrDigit(_text[at]) && _text[at] is not ('.' or '_' or '/' or '(' or '§'))
        {
            throw new UnsupportedLayoutException();
        }

        var end = at;
        while (end < _text.Length)
        {
            var c = _text[end];
            if (c is '\n' or '\r' || (flow && c is ',' or '}' or ']'))
            {
                break;
            }

            if ((c == ':' && (end + 1 == _text.Length || _text[end + 1] is ' ' or '\n' or ',' or '}' or ']'))
                || (c == '#' && _text[end - 1] == ' ') || (flow && c is '[' or '{') || c == '\t')
            {
                throw new UnsupportedLayoutException();
            }

            end++;
        }

        if (_text[end - 1] == ' ')
        {
            throw new UnsupportedLayoutException();
        }

        _events.Add(new Scalar(AnchorName.Empty, TagName.Empty, _text[at..end], ScalarStyle.Plain, true, false, Mark(at), Mark(end)));
        return end;
    }

    /// <summary>Where a plain key starting at <paramref name="at"/> ends (at its ':', followed by a space or the line's end), or -1.</summary>
    private int KeyEnd(int at)
    {
        var end = at;
        while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] is '_' or '-' or '.'))
        {
            end++;
        }

        return end > at && end < _text.Length && _text[end] == ':' && (end + 1 == _text.Length || _text[end + 1] is ' ' or '\n') ? end : -1;
    }

    private bool IsSequenceEntry(int at) => at + 1 < _text.Length && _text[at] == '-' && _text[at + 1] == ' ';

    /// <summary>Requires the line to end at <paramref name="at"/> and moves to the next one.</summary>
    private void EndOfLine(int at)
    {
        if (at < _text.Length && _text[at] != '\n')
        {
            throw new UnsupportedLayoutException();
        }

        NextLine();
    }

    private void NextLine()
    {
        var end = _text.IndexOf('\n', _lineStart);
        _lineStart = end < 0 ? _text.Length : end + 1;
        _line++;
    }

    /// <summary>Moves past empty lines and whole-line comments; false at the end of the text.</summary>
    private bool SkipBlankLines()
    {
        while (_lineStart < _text.Length)
        {
            var i = _lineStart;
            while (i < _text.Length && _text[i] == ' ')
            {
                i++;
            }

            if (i < _text.Length && _text[i] is '\t' or '\r')
            {
                throw new UnsupportedLayoutException();
            }

            if (i < _text.Length && _text[i] != '\n' && _text[i] != '#')
            {
                return true;
            }

            NextLine();
        }

        return false;
    }

    private int Indent()
    {
        var i = _lineStart;
        while (i < _text.Length && _text[i] == ' ')
        {
            i++;
        }

        return i - _lineStart;
    }

    private Mark Mark(int index) => new(index, _line, index - _lineStart + 1);

    /// <summary>The text leaves the layout this parser reads.</summary>
    private sealed class UnsupportedLayoutException : Exception;
}
