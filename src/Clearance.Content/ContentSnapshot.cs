using System.IO.Hashing;
using System.Text;
using Clearance.Model;

namespace Clearance.Content;

/// <summary>
/// The built-in content's validated model kept in a per-user cache directory, one binary file per jurisdiction and one
/// for the heads of all of them, so that a command reads back what an earlier run parsed from YAML and validated,
/// instead of doing it again (most of the start of <c>clearance check</c>: docs/benchmarks.md, "The start-up"). The
/// directory is named by the content's version and the build's identity (the module version ids of this assembly and
/// of the model's), so a new build or other content never reads an old snapshot. Each file is written whole to a
/// temporary name and renamed, and carries an XxHash128 of its bytes: a file cut short or altered is ignored (and written
/// again by the run that loads the content the slow way). Not SHA-256 (until recheck-start21): the hash guards against
/// damage, not against someone who can write the user's cache (and so could write a matching hash of any kind), and
/// SHA-256 loaded and initialised OpenSSL in every command that reads the content, for a few hundred bytes
/// (docs/benchmarks.md, recheck-start21). A directory that cannot be made or written is no error: the
/// content is then loaded from YAML as without a cache.
/// </summary>
public sealed class ContentSnapshot
{
    private const string HeadsFile = "heads.bin";
    /// <summary>The size of the hash each file starts with (XxHash128).</summary>
    private const int HashSize = 16;

    private static readonly byte[] Magic = "clearance-content-snapshot 2\n"u8.ToArray();

    private readonly string _directory;
    private readonly string _key;

    private ContentSnapshot(string directory, string key, string version)
    {
        _directory = directory;
        _key = key;
        Version = version;
    }

    /// <summary>The version id of the content kept.</summary>
    public string Version { get; }

    /// <summary>
    /// The cache directory of this user: <c>$CLEARANCE_CACHE</c> when set (empty: no cache), else
    /// <c>$XDG_CACHE_HOME/clearance</c>, else <c>~/.cache/clearance</c>; null when none can be named.
    /// </summary>
    public static string? DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("CLEARANCE_CACHE") is { } own)
        {
            return own.Length == 0 ? null : own;
        }

        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "clearance");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 ? null : Path.Combine(home, ".cache", "clearance");
    }

    /// <summary>The snapshot of content <paramref name="version"/> under <paramref name="root"/>, or null without a root.</summary>
    /// <param name="root">The cache directory (<see cref="DefaultRoot"/>), or null for none.</param>
    /// <param name="version">The content's version id (<see cref="ContentLoader.Version(IReadOnlyList{ValueTuple{string, string}})"/>).</param>
    public static ContentSnapshot? For(string? root, string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (root is null)
        {
            return null;
        }

        var key = version.Replace("sha256:", "", StringComparison.Ordinal) + "-" + Build;
        return new ContentSnapshot(Path.Combine(root, "content", key), key, version);
    }

    /// <summary>
    /// The version id of the built-in content (<see cref="ContentLoader.Version(IReadOnlyList{ValueTuple{string, byte[]}})"/> of <see cref="ContentLoader.BuiltInFileBytes"/>),
    /// kept under <paramref name="root"/> by the build's identity alone: the files are resources of this assembly, whose
    /// module version id changes with them (a deterministic build derives it from the bytes, resources included; any
    /// other build makes a new one), so the id one run of the build computed is the id of every later run's files. A
    /// later run reads it back instead of reading and hashing the 1.5 million characters of the files at every start
    /// (docs/benchmarks.md, "The check's CPU (branch check-speed17"). Computed from the files, and kept, when the cache
    /// has none (or a file cut short, altered or of another build); computed without a <paramref name="root"/>.
    /// </summary>
    /// <param name="root">The cache directory (<see cref="DefaultRoot"/>), or null for none.</param>
    public static string BuiltInVersion(string? root)
    {
        if (root is null)
        {
            return ContentLoader.Version(ContentLoader.BuiltInFileBytes());
        }

        // A directory of the build's own, in the snapshot's file format (hash, magic, key), holding the id alone.
        var key = "built-in-" + Build;
        var kept = new ContentSnapshot(Path.Combine(root, "content", key), key, version: "");
        if (kept.Read(VersionFile, reader => reader.Text()) is { } read && IsVersionId(read))
        {
            return read;
        }

        var version = ContentLoader.Version(ContentLoader.BuiltInFileBytes());
        kept.Write(VersionFile, writer => writer.String(version));
        return version;
    }

    private const string VersionFile = "version.bin";

    /// <summary>The build's identity: a change of the parser, the validator, the model's types or the built-in files gives a new one.</summary>
    private static readonly string Build =
        Convert.ToHexStringLower(typeof(ContentSnapshot).Assembly.ManifestModule.ModuleVersionId.ToByteArray().AsSpan(0, 6))
        + Convert.ToHexStringLower(typeof(Jurisdiction).Assembly.ManifestModule.ModuleVersionId.ToByteArray().AsSpan(0, 6));

    /// <summary>Whether <paramref name="text"/> has the form of <see cref="ContentLoader.Version(IReadOnlyList{ValueTuple{string, byte[]}})"/>'s ids ("sha256:" and 12 hex digits).</summary>
    private static bool IsVersionId(string text) =>
        text.Length == 19 && text.StartsWith("sha256:", StringComparison.Ordinal) && !text.AsSpan(7).ContainsAnyExcept("0123456789abcdef");

    /// <summary>The directory the files are in (made when the first is written).</summary>
    public string Directory => _directory;

    /// <summary>The heads of every jurisdiction, in content order, or null when not kept (or unreadable).</summary>
    public IReadOnlyList<JurisdictionHead>? ReadHeads() => Read(HeadsFile, reader =>
    {
        var heads = new JurisdictionHead[reader.Count()];
        for (var i = 0; i < heads.Length; i++)
        {
            heads[i] = new JurisdictionHead(reader.String()!, reader.Optional(reader.Selector), reader.Bool());
        }

        return heads;
    });

    /// <summary>The validated model of jurisdiction <paramref name="id"/>, or null when not kept (or unreadable).</summary>
    public Jurisdiction? ReadJurisdiction(string id) => Read(FileOf(id), reader => reader.Jurisdiction());

    /// <summary>Keeps the heads of every jurisdiction (in content order); a failure to write is ignored.</summary>
    public void WriteHeads(IReadOnlyList<JurisdictionHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        Write(HeadsFile, writer =>
        {
            writer.Count(heads.Count);
            foreach (var head in heads)
            {
                writer.String(head.Id);
                writer.Optional(head.Exporters, writer.Selector);
                writer.Bool(head.ReachesClassifiedItems);
            }
        });
    }

    /// <summary>Keeps the validated model of <paramref name="jurisdiction"/> (in place of a file that could not be read); a failure to write is ignored.</summary>
    public void WriteJurisdiction(Jurisdiction jurisdiction)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        Write(FileOf(jurisdiction.Id), writer => writer.Jurisdiction(jurisdiction));
    }

    private static string FileOf(string id) => "jurisdiction-" + id.ToUpperInvariant() + ".bin";

    private T? Read<T>(string name, Func<SnapshotReader, T> read)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path.Combine(_directory, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // [XxHash128 of the rest][magic][key][body]: a file cut short or altered, or of another key, is not read.
        var prefix = HashSize + Magic.Length;
        if (bytes.Length < prefix || !XxHash128.Hash(bytes.AsSpan(HashSize)).AsSpan().SequenceEqual(bytes.AsSpan(0, HashSize))
            || !bytes.AsSpan(HashSize, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        try
        {
            var reader = new SnapshotReader(bytes, prefix);
            if (reader.String() != _key)
            {
                return null;
            }

            var value = read(reader);
            return reader.AtEnd ? value : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            // The hash matched, so only a writer of another layout under the same key gets here: the slow path then.
            return null;
        }
    }

    private void Write(string name, Action<SnapshotWriter> write)
    {
        var writer = new SnapshotWriter();
        writer.Raw(new byte[HashSize]);
        writer.Raw(Magic);
        writer.String(_key);
        write(writer);
        var bytes = writer.ToArray();
        XxHash128.Hash(bytes.AsSpan(HashSize), bytes);
        var path = Path.Combine(_directory, name);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache: the next run loads the content from YAML again, as without a cache.
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the temporary name is never read.
            }
        }
    }
}

/// <summary>Writes the model's values in the snapshot's layout: 7-bit counts, each string once (later as its index).</summary>
internal sealed class SnapshotWriter
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _out;
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);

    public SnapshotWriter()
    {
        _out = new BinaryWriter(_stream, Encoding.UTF8);
    }

    public byte[] ToArray()
    {
        _out.Flush();
        return _stream.ToArray();
    }

    public void Raw(byte[] bytes) => _out.Write(bytes);

    public void Count(int count) => _out.Write7BitEncodedInt(count);

    public void Bool(bool value) => _out.Write(value);

    public void Int(int value) => _out.Write(value);

    public void Byte(byte value) => _out.Write(value);

    /// <summary>0 for null, 1 and the text for a string not written before, 2 + its index for one written before.</summary>
    public void String(string? text)
    {
        if (text is null)
        {
            _out.Write7BitEncodedInt(0);
        }
        else if (_strings.TryGetValue(text, out var index))
        {
            _out.Write7BitEncodedInt(index + 2);
        }
        else
        {
            _out.Write7BitEncodedInt(1);
            _out.Write(text);
            _strings.Add(text, _strings.Count);
        }
    }

    public void Optional<T>(T? value, Action<T> write)
        where T : class
    {
        _out.Write(value is not null);
        if (value is not null)
        {
            write(value);
        }
    }

    public void List<T>(IReadOnlyList<T> values, Action<T> write)
    {
        Count(values.Count);
        foreach (var value in values)
        {
            write(value);
        }
    }

    public void Strings(IReadOnlyList<string> values) => List(values, String);

    public void Date(NodaTime.LocalDate date)
    {
        _out.Write(date.Year);
        _out.Write((byte)date.Month);
        _out.Write((byte)date.Day);
    }

    public void Date(NodaTime.LocalDate? date)
    {
        _out.Write(date.HasValue);
        if (date is { } day)
        {
            Date(day);
        }
    }

    public void Country(CountryCode country) => _out.Write7BitEncodedInt(country.Index);

    public void Citation(Citation citation)
    {
        String(citation.Text);
        String(citation.Url);
        Bool(citation.Unconfirmed);
        String(citation.Note);
    }

    public void Source(SourceRef source)
    {
        String(source.File);
        Count(source.Line);
    }

    public void Period(Period period)
    {
        Date(period.From);
        Date(period.To);
        Optional(period.StartKnown, Announcement);
        Optional(period.EndKnown, Announcement);
    }

    public void Selector(DestinationSelector selector)
    {
        Bool(selector.Any);
        List(selector.Countries, Country);
        Strings(selector.Sets);
        List(selector.ExceptCountries, Country);
        Strings(selector.ExceptSets);
    }

    public void Attributes(IReadOnlyDictionary<string, IReadOnlyList<string>> attributes)
    {
        Count(attributes.Count);
        foreach (var (key, values) in attributes)
        {
            String(key);
            Strings(values);
        }
    }

    public void Condition(FactCondition condition) => List(condition.Tests, test =>
    {
        switch (test)
        {
            case OneOfTest oneOf:
                Byte(0);
                String(oneOf.Fact);
                Strings(oneOf.Values);
                break;
            case FlagTest flag:
                Byte(1);
                String(flag.Fact);
                Bool(flag.Expected);
                break;
            case CompareTest compare:
                Byte(2);
                String(compare.Fact);
                Byte((byte)compare.Op);
                _out.Write(compare.Bound.Value); // decimal: its scale too ("1.50" stays "1.50" in explanations)
                String(compare.Bound.Unit);
                break;
            default:
                throw new InvalidOperationException($"a fact test of type {test.GetType().Name} has no snapshot layout");
        }
    });

    public void Jurisdiction(Jurisdiction j)
    {
        String(j.Id);
        String(j.Name);
        String(j.Law);
        Date(j.CoverageFrom);
        String(j.EndUserList);
        List(j.Items, Item);
        List(j.Sets, Set);
        List(j.Requirements, Requirement);
        List(j.Licenses, License);
        List(j.Scope, Scope);
        List(j.Reviews, Review);
        Citation(j.Citation);
        Source(j.Source);
        Optional(j.Exporters, Selector);
        Bool(j.ReachesClassifiedItems);
        String(j.Incomplete);
        String(j.CodePattern);
        Date(j.Reviewed);
        List(j.ListingRules, Listing);
        Date(j.ListAsOf);
        String(j.IndividualLicense);
        String(j.NoLicenseNote);
        List(j.DeclaredFacts, Fact);
        Strings(j.RequirementsKnownLater);
    }

    private void Announcement(Announcement announcement)
    {
        Date(announcement.Date);
        Citation(announcement.Citation);
    }

    private void Item(ControlEntry item)
    {
        String(item.Code);
        String(item.Parent);
        String(item.Title);
        Bool(item.CatchAll);
        Citation(item.Citation);
        Source(item.Source);
        Attributes(item.Attributes);
        Attributes(item.NotInherited);
    }

    private void Set(CountrySet set)
    {
        String(set.Id);
        String(set.Name);
        Byte((byte)set.Kind);
        List(set.Members, m =>
        {
            Country(m.Country);
            Period(m.Period);
            Citation(m.Citation);
            Source(m.Source);
        });
        Strings(set.Of);
        Bool(set.IsGroup);
        String(set.Description);
        Citation(set.Citation);
        Source(set.Source);
        Period(set.Existence);
    }

    private void Items(ItemSelector items)
    {
        Bool(items.Any);
        Strings(items.Codes);
        Bool(items.Listed);
        Attributes(items.Where);
        Strings(items.Except);
    }

    private void Requirement(RequirementRule r)
    {
        String(r.Id);
        Byte((byte)r.Kind);
        String(r.Title);
        Items(r.Items);
        Selector(r.Destinations);
        Condition(r.When);
        List(r.Periods, Period);
        Citation(r.Citation);
        Source(r.Source);
        Optional(r.Exception, e =>
        {
            String(e.License);
            String(e.Condition);
        });
        String(r.ReviewPolicy);
        Optional(r.ExportedFrom, Selector);
    }

    private void License(LicenseType l)
    {
        String(l.Id);
        String(l.Name);
        String(l.Validity);
        Citation(l.Citation);
        Source(l.Source);
    }

    private void Scope(LicenseScopeRule s)
    {
        String(s.Id);
        String(s.License);
        Byte((byte)s.Effect);
        String(s.Title);
        Items(s.Items);
        Selector(s.Destinations);
        List(s.Grounds, g => Byte((byte)g));
        String(s.Condition);
        List(s.Periods, Period);
        Citation(s.Citation);
        Source(s.Source);
        Strings(s.GroundRules);
        Condition(s.When);
        Optional(s.ExportedFrom, Selector);
    }

    private void Review(ReviewPeriodRule r)
    {
        String(r.Id);
        String(r.License);
        Int(r.Days);
        Selector(r.Destinations);
        List(r.Periods, Period);
        Citation(r.Citation);
        Source(r.Source);
    }

    private void Listing(ListingRule l)
    {
        String(l.Rule);
        Date(l.Effective);
        Date(l.Published);
        String(l.Title);
        Citation(l.Citation);
        Source(l.Source);
        Bool(l.LastPage.HasValue);
        if (l.LastPage is { } last)
        {
            Int(last);
        }
    }

    private void Fact(FactDefinition f)
    {
        String(f.Id);
        Byte((byte)f.Type);
        Strings(f.Values);
        String(f.Description);
        Byte(f.DefaultWhenMissing switch { null => 0, false => 1, true => 2 });
        String(f.ScreenedBy);
        List(f.ScreenedParties, p => Byte((byte)p));
    }
}

/// <summary>Reads what <see cref="SnapshotWriter"/> wrote, in the same order; a value out of range throws.</summary>
internal sealed class SnapshotReader(byte[] bytes, int start)
{
    private readonly List<string> _strings = [];
    private int _at = start;

    public bool AtEnd => _at == bytes.Length;

    public int Count()
    {
        var value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = bytes[_at++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value >= 0 ? value : throw new FormatException("a negative count");
            }
        }

        throw new FormatException("a count of more than 5 bytes");
    }

    public bool Bool() => bytes[_at++] switch
    {
        0 => false,
        1 => true,
        _ => throw new FormatException("a boolean neither 0 nor 1"),
    };

    public byte Byte() => bytes[_at++];

    public int Int()
    {
        var value = BitConverter.ToInt32(bytes, _at);
        _at += 4;
        return value;
    }

    public string? String()
    {
        var tag = Count();
        if (tag == 0)
        {
            return null;
        }

        if (tag > 1)
        {
            return _strings[tag - 2];
        }

        // BinaryWriter's layout: a 7-bit byte length, then UTF-8.
        var length = Count();
        var text = Encoding.UTF8.GetString(bytes, _at, length);
        _at += length;
        _strings.Add(text);
        return text;
    }

    public string Text() => String() ?? throw new FormatException("a null where text is required");

    public T? Optional<T>(Func<T> read)
        where T : class => Bool() ? read() : null;

    public IReadOnlyList<T> List<T>(Func<T> read)
    {
        var count = Count();
        if (count == 0)
        {
            return [];
        }

        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = read();
        }

        return values;
    }

    public IReadOnlyList<string> Strings() => List(Text);

    public NodaTime.LocalDate Date()
    {
        var year = Int();
        var month = Byte();
        var day = Byte();
        return new NodaTime.LocalDate(year, month, day);
    }

    public NodaTime.LocalDate? OptionalDate() => Bool() ? Date() : null;

    public CountryCode Country() => CountryCode.All[Count()];

    public Citation Citation() => new(Text(), String(), Bool(), String());

    public SourceRef Source() => new(Text(), Count());

    public Period Period() => new(Date(), OptionalDate())
    {
        StartKnown = Optional(Announcement),
        EndKnown = Optional(Announcement),
    };

    public DestinationSelector Selector() => new(Bool(), List(Country), Strings(), List(Country), Strings());

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes()
    {
        var count = Count();
        if (count == 0)
        {
            // As the loader makes an absent map: a dictionary of the default comparer.
            return new Dictionary<string, IReadOnlyList<string>>();
        }

        var attributes = new Dictionary<string, IReadOnlyList<string>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            attributes.Add(Text(), Strings());
        }

        return attributes;
    }

    public FactCondition Condition()
    {
        var tests = List<FactTest>(() => Byte() switch
        {
            0 => new OneOfTest(Text(), Strings()),
            1 => new FlagTest(Text(), Bool()),
            2 => new CompareTest(Text(), (Comparison)Byte(), new Amount(Decimal(), Text())),
            _ => throw new FormatException("an unknown fact test"),
        });
        return tests.Count == 0 ? FactCondition.None : new FactCondition(tests);
    }

    public Jurisdiction Jurisdiction() => new(Text(), Text(), Text(), Date(), String(), List(Item), List(Set), List(Requirement), List(License), List(Scope), List(Review), Citation(), Source())
    {
        Exporters = Optional(Selector),
        ReachesClassifiedItems = Bool(),
        Incomplete = String(),
        CodePattern = String(),
        Reviewed = OptionalDate(),
        ListingRules = List(Listing),
        ListAsOf = OptionalDate(),
        IndividualLicense = Text(),
        NoLicenseNote = String(),
        DeclaredFacts = List(Fact),
        RequirementsKnownLater = Strings(),
    };

    private decimal Decimal() => new([Int(), Int(), Int(), Int()]);

    private Announcement Announcement() => new(Date(), Citation());

    private ControlEntry Item() => new(Text(), String(), Text(), Bool(), Citation(), Source())
    {
        Attributes = Attributes(),
        NotInherited = Attributes(),
    };

    private CountrySet Set() => new(Text(), Text(), (CountrySetKind)Byte(), List(Membership), Strings(), Bool(), String(), Citation(), Source())
    {
        Existence = Period(),
    };

    private Membership Membership() => new(Country(), Period(), Citation(), Source());

    private ItemSelector Items() => new(Bool(), Strings()) { Listed = Bool(), Where = Attributes(), Except = Strings() };

    private RequirementRule Requirement() => new(Text(), (RequirementKind)Byte(), Text(), Items(), Selector(), Condition(), List(Period), Citation(), Source())
    {
        Exception = Optional(() => new RuleException(Text(), Text())),
        ReviewPolicy = String(),
        ExportedFrom = Optional(Selector),
    };

    private LicenseType License() => new(Text(), Text(), String(), Citation(), Source());

    private LicenseScopeRule Scope() => new(Text(), Text(), (ScopeEffect)Byte(), Text(), Items(), Selector(), List(() => (RequirementKind)Byte()), String(), List(Period), Citation(), Source())
    {
        GroundRules = Strings(),
        When = Condition(),
        ExportedFrom = Optional(Selector),
    };

    private ReviewPeriodRule Review() => new(Text(), Text(), Int(), Selector(), List(Period), Citation(), Source());

    private ListingRule Listing() => new(Text(), Date(), OptionalDate(), Text(), Citation(), Source())
    {
        LastPage = Bool() ? Int() : null,
    };

    private FactDefinition Fact() => new(Text(), (FactType)Byte(), Strings(), Text(), Byte() switch { 0 => null, 1 => false, 2 => true, _ => throw new FormatException("a default neither null, false nor true") })
    {
        ScreenedBy = String(),
        ScreenedParties = List(() => (ScreenedParty)Byte()),
    };
}
