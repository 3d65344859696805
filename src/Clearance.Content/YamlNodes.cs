using System.Globalization;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;
using YamlDotNet.RepresentationModel;

namespace Clearance.Content;

/// <summary>Thrown for one malformed element; the loader records it and goes on with the next element.</summary>
internal sealed class ElementException(ContentError error) : Exception(error.ToString())
{
    public ContentError Error { get; } = error;
}

/// <summary>Typed, line-aware access to one YAML mapping, rejecting keys it does not know (typos are errors, not silence).</summary>
internal sealed class YamlNodes
{
    private readonly string _file;
    private readonly YamlMappingNode _map;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlNodes(string file, YamlNode node, string what)
    {
        _file = file;
        _map = node as YamlMappingNode ?? throw Fail(node, $"{what}: expected a mapping");
    }

    public int Line => (int)_map.Start.Line;

    public SourceRef Source => new(_file, Line);

    public ElementException Fail(YamlNode node, string message) => new(new ContentError(_file, (int)node.Start.Line, message));

    public ElementException Fail(string message) => new(new ContentError(_file, Line, message));

    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
    }

    public string? String(string key)
    {
        var node = Node(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => scalar.Value,
            _ => throw Fail(node, $"'{key}': expected a text value"),
        };
    }

    public string Required(string key) =>
        String(key) is { Length: > 0 } value ? value : throw Fail($"'{key}' is required");

    public bool Bool(string key)
    {
        var text = String(key);
        return text switch
        {
            null => false,
            "true" => true,
            "false" => false,
            _ => throw Fail(Node(key)!, $"'{key}': expected true or false, got '{text}'"),
        };
    }

    public int Int(string key)
    {
        var text = Required(key);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Fail(Node(key)!, $"'{key}': expected a whole number, got '{text}'");
    }

    public LocalDate? Date(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw Fail(Node(key)!, $"'{key}': '{text}' is not a date (YYYY-MM-DD)");
    }

    public IEnumerable<YamlNode> Sequence(string key)
    {
        var node = Node(key);
        return node switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children,
            _ => throw Fail(node, $"'{key}': expected a list"),
        };
    }

    public IReadOnlyList<string> Strings(string key) =>
        [.. Sequence(key).Select(n => n is YamlScalarNode { Value: { } v } ? v : throw Fail(n, $"'{key}': expected a list of text values"))];

    public Citation Citation(Citation? inherited = null)
    {
        var text = String("cite");
        var url = String("source");
        var unconfirmed = Bool("unconfirmed");
        var note = String("note");
        if (text is null)
        {
            return inherited is not null
                ? inherited with { Unconfirmed = inherited.Unconfirmed || unconfirmed, Note = note ?? inherited.Note }
                : throw Fail("'cite' is required: every fact carries its legal citation");
        }

        return new Citation(text, url, unconfirmed, note);
    }

    /// <summary>
    /// The element's periods: <c>from</c>/<c>to</c> or a <c>periods</c> list, each with the days its start and end became
    /// known (<c>known</c>, <c>to_known</c>). A bare known date is cited by the element's citation, or by
    /// <paramref name="inherited"/> when the element has none of its own (a set's member).
    /// </summary>
    public IReadOnlyList<Period> Periods(Citation? inherited = null)
    {
        var periods = new List<Period>();
        var single = (From: Date("from"), To: Date("to"));
        var list = Sequence("periods").ToList();
        if (list.Count > 0 && (single.From is not null || single.To is not null))
        {
            throw Fail("give either 'from'/'to' or 'periods', not both");
        }

        if (list.Count == 0)
        {
            periods.Add(MakePeriod(single.From, single.To, _map) with { StartKnown = Known("known", this, inherited), EndKnown = Known("to_known", this, inherited) });
        }

        foreach (var node in list)
        {
            var p = new YamlNodes(_file, node, "period");
            periods.Add(MakePeriod(p.Date("from"), p.Date("to"), node) with { StartKnown = p.Known("known", this, inherited), EndKnown = p.Known("to_known", this, inherited) });
            p.RejectUnknown();
        }

        foreach (var period in periods)
        {
            if (period.StartKnown is not null && period.IsOpenStart)
            {
                throw Fail("'known': a period without 'from' has no start to announce");
            }

            if (period.EndKnown is not null && period.To is null)
            {
                throw Fail("'to_known': a period without 'to' has no end to announce");
            }
        }

        return periods;
    }

    /// <summary>
    /// The day a period's start (<c>known</c>) or end (<c>to_known</c>) became known: a date, cited by the element's own
    /// citation (<paramref name="element"/>), or a mapping <c>{date, cite, source, unconfirmed, note}</c> with a citation
    /// of its own.
    /// </summary>
    private Announcement? Known(string key, YamlNodes element, Citation? inherited)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode:
                var date = Date(key)!.Value;
                return element.String("cite") is not null || inherited is not null
                    ? new Announcement(date, element.Citation(inherited))
                    : throw Fail(node, $"'{key}': a bare date is cited by the element's 'cite', and it has none: give {{date, cite}}");
            default:
                return Announcement(node, key);
        }
    }

    /// <summary>An announcement given as a mapping <c>{date, cite, source, unconfirmed, note}</c>.</summary>
    public Announcement Announcement(YamlNode node, string what)
    {
        var known = new YamlNodes(_file, node, what);
        var announcement = new Announcement(known.Date("date") ?? throw known.Fail($"'{what}': 'date' is required"), known.Citation());
        known.RejectUnknown();
        return announcement;
    }

    private Period MakePeriod(LocalDate? from, LocalDate? to, YamlNode at)
    {
        var start = from ?? LocalDate.MinIsoValue;
        if (to is { } end && end <= start)
        {
            throw Fail(at, $"period: 'to' {LocalDatePattern.Iso.Format(end)} must be after 'from' {LocalDatePattern.Iso.Format(start)} (periods are [from, to))");
        }

        return new Period(start, to);
    }

    /// <summary>Every key of the mapping with its value, in file order (all counted as read).</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries()
    {
        foreach (var (key, value) in _map.Children)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : throw Fail(key, "expected a text key");
            _read.Add(name);
            yield return (name, value);
        }
    }

    /// <summary>The text values of a node that is one text value or a list of them.</summary>
    public IReadOnlyList<string> OneOrMany(YamlNode node, string key) => node switch
    {
        YamlScalarNode { Value: { } v } => [v],
        YamlSequenceNode list => [.. list.Children.Select(n => n is YamlScalarNode { Value: { } v } ? v : throw Fail(n, $"'{key}': expected text values"))],
        _ => throw Fail(node, $"'{key}': expected a text value or a list of them"),
    };

    public void RejectUnknown()
    {
        foreach (var key in _map.Children.Keys)
        {
            if (key is YamlScalarNode { Value: { } name } && !_read.Contains(name))
            {
                throw Fail(key, $"unknown field '{name}'");
            }
        }
    }
}
