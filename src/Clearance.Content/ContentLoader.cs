using System.Security.Cryptography;
using System.Text;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Clearance.Content;

/// <summary>
/// Loads regulatory content: one YAML file per jurisdiction, parsed with file:line on every error, validated, and
/// built into an immutable <see cref="ContentSet"/> whose version id is a hash of the files' bytes.
/// The file format is described in docs/content.md.
/// </summary>
public static class ContentLoader
{
    private const string ResourcePrefix = "Clearance.Content.Rules.";

    /// <summary>Loads the content shipped inside the product.</summary>
    public static ContentSet LoadBuiltIn() => Load(BuiltInFiles());

    /// <summary>
    /// The content files shipped inside the product, as (name, text), by name; read and decoded when an item is first
    /// read (a start whose version id and model the cache keeps never reads them).
    /// </summary>
    public static IReadOnlyList<(string Name, string Text)> BuiltInFiles() => new DeferredList<(string Name, string Text)>(() => Decode(BuiltInFileBytes()));

    /// <summary>
    /// The content files shipped inside the product as they are stored, (name, UTF-8 bytes), by name: their version id
    /// (<see cref="Version(IReadOnlyList{ValueTuple{string, byte[]}})"/>) needs no text, and a recheck that checks no
    /// line again needs no more (the texts, 3 MB of them, were decoded and encoded again at every start).
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> BuiltInFileBytes()
    {
        var assembly = typeof(ContentLoader).Assembly;
        var names = new List<string>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        var files = new (string Name, byte[] Bytes)[names.Count];
        for (var i = 0; i < files.Length; i++)
        {
            using var stream = assembly.GetManifestResourceStream(names[i])!;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            files[i] = (names[i][ResourcePrefix.Length..], bytes);
        }

        return files;
    }

    /// <summary>Files given as (name, UTF-8 bytes) as (name, text): each text as a <see cref="StreamReader"/> reading UTF-8 gives it (<see cref="Decode(byte[])"/>).</summary>
    public static IReadOnlyList<(string Name, string Text)> Decode(IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var decoded = new (string Name, string Text)[files.Count];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = (files[i].Name, Decode(files[i].Bytes));
        }

        return decoded;
    }

    /// <summary>
    /// The text of a file's bytes, as a <see cref="StreamReader"/> reading UTF-8 gives it (<see cref="DecodeByReader"/>,
    /// the reference): at once when no byte-order mark can start it, the reader otherwise (it skips a UTF-8 mark and
    /// reads by any other it finds). The reader grows its text a block at a time: the built-in content's 1.5 MB took
    /// it ~30 ms at a process's start, the whole decoded at once a few.
    /// </summary>
    internal static string Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return bytes.Length > 0 && bytes[0] is 0xEF or 0xFE or 0xFF or 0x00 ? DecodeByReader(bytes) : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The text of a file's bytes read by a <see cref="StreamReader"/> as UTF-8 (how the built-in files were read).</summary>
    internal static string DecodeByReader(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Loads every <c>*.yaml</c> file of a directory.</summary>
    public static ContentSet LoadDirectory(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path, Encoding.UTF8)))
            .ToList();
        if (files.Count == 0)
        {
            throw new ContentValidationException([new ContentError(directory, 0, "no *.yaml content files found")]);
        }

        return Load(files);
    }

    /// <summary>Parses and validates content files given as (name, text).</summary>
    /// <exception cref="ContentValidationException">With every error found, each with file and line.</exception>
    public static ContentSet Load(IReadOnlyList<(string Name, string Text)> files)
    {
        // The files' YAML is read in parallel: the EAR's generated list (1 MB) takes most of the time, and the other
        // files are read beside it. Errors are then gathered in file order, as a sequential read would give them.
        var parsed = new (YamlNode? Root, List<ContentError> Errors)[files.Count];
        Parallel.For(0, files.Count, i => parsed[i] = Parse(files[i]));
        return Build(files, parsed);
    }

    /// <summary>
    /// <see cref="Load(IReadOnlyList{ValueTuple{string, string}})"/> through <paramref name="snapshot"/>: the
    /// jurisdictions read back from it when it keeps them all (validated when they were kept), else loaded from the files
    /// and kept in it. The same set either way.
    /// </summary>
    /// <param name="files">Every content file, as (name, text): those of <paramref name="snapshot"/>'s version.</param>
    /// <param name="snapshot">The snapshot of these files, or null to load them.</param>
    /// <exception cref="ContentValidationException">With every error found, each with file and line.</exception>
    public static ContentSet Load(IReadOnlyList<(string Name, string Text)> files, ContentSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (snapshot is null)
        {
            return Load(files);
        }

        if (snapshot.ReadHeads() is { } heads && Read(snapshot, heads) is { } kept)
        {
            return ContentSet.Validated(snapshot.Version, kept, Contents(files));
        }

        var content = Load(files);
        Keep(snapshot, [.. content.Jurisdictions.Select(j => new JurisdictionHead(j.Id, j.Exporters, j.ReachesClassifiedItems))], content);
        return content;
    }

    /// <summary>
    /// <see cref="LoadOnly(IReadOnlyList{ValueTuple{string, string}}, Func{JurisdictionHead, bool})"/> through
    /// <paramref name="snapshot"/>: the heads and the jurisdictions chosen read back from it when it keeps them, else
    /// loaded from the files and kept in it. The same set either way, <paramref name="include"/> asked once per head.
    /// </summary>
    /// <param name="files">Every content file, as (name, text): those of <paramref name="snapshot"/>'s version.</param>
    /// <param name="include">Whether to load the jurisdiction a head names.</param>
    /// <param name="snapshot">The snapshot of these files, or null to load them.</param>
    /// <exception cref="ContentValidationException">With every error found in the files loaded, each with file and line.</exception>
    public static ContentSet LoadOnly(IReadOnlyList<(string Name, string Text)> files, Func<JurisdictionHead, bool> include, ContentSnapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(include);
        if (snapshot is null)
        {
            return LoadOnly(files, include);
        }

        // Each head's answer, asked once: a choice the snapshot cannot serve is made again from the files with it.
        var chosen = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        var heads = new List<JurisdictionHead>();
        bool Choose(JurisdictionHead head)
        {
            if (!chosen.TryGetValue(head.Id, out var choice))
            {
                choice = include(head);
                chosen.Add(head.Id, choice);
                heads.Add(head);
            }

            return choice;
        }

        if (snapshot.ReadHeads() is { } kept)
        {
            var ids = kept.Where(Choose).ToList();
            if (Read(snapshot, ids) is { } jurisdictions)
            {
                return ContentSet.Validated(snapshot.Version, jurisdictions, Contents(files));
            }
        }

        var content = LoadOnly(files, Choose);
        Keep(snapshot, heads, content);
        return content;
    }

    /// <summary>The jurisdictions <paramref name="heads"/> name as the snapshot keeps them, or null when one is not kept.</summary>
    private static Jurisdiction[]? Read(ContentSnapshot snapshot, IReadOnlyList<JurisdictionHead> heads)
    {
        var jurisdictions = new Jurisdiction[heads.Count];
        for (var i = 0; i < heads.Count; i++)
        {
            if (snapshot.ReadJurisdiction(heads[i].Id) is not { } j || !string.Equals(j.Id, heads[i].Id, StringComparison.Ordinal))
            {
                return null;
            }

            jurisdictions[i] = j;
        }

        return jurisdictions;
    }

    /// <summary>
    /// Keeps the heads of every jurisdiction and the validated jurisdictions of <paramref name="content"/>, after a load
    /// the snapshot could not serve (a file missing, cut short or of another layout is replaced).
    /// </summary>
    private static void Keep(ContentSnapshot snapshot, IReadOnlyList<JurisdictionHead> heads, ContentSet content)
    {
        if (heads.Count > 0)
        {
            snapshot.WriteHeads(heads);
        }

        foreach (var j in content.Jurisdictions)
        {
            snapshot.WriteJurisdiction(j);
        }
    }

    /// <summary>
    /// The files as a content set keeps them, made when first read: a set read back from a snapshot, or content served by
    /// the cache, need not read (decode) <paramref name="files"/> at all.
    /// </summary>
    public static DeferredList<ContentFile> Contents(IReadOnlyList<(string Name, string Text)> files) => new(() => [.. files.Select(f => new ContentFile(f.Name, f.Text))]);

    /// <summary>
    /// Loads only the jurisdictions that <paramref name="include"/> chooses by their heads, each with the files that
    /// continue it (<c>part_of</c>), under the version id of the whole set and with all of its files: the set answers
    /// for those jurisdictions exactly as the whole content does, without reading the others (the EAR's generated list
    /// is most of the built-in content, and a Japanese export never needs it). The files of the jurisdictions left out
    /// are not validated: <see cref="Load(IReadOnlyList{ValueTuple{string, string}})"/> (and <c>content validate</c>) does that.
    /// </summary>
    /// <param name="files">Every content file, as (name, text).</param>
    /// <param name="include">Whether to load the jurisdiction a head names.</param>
    /// <exception cref="ContentValidationException">With every error found in the files loaded, each with file and line.</exception>
    public static ContentSet LoadOnly(IReadOnlyList<(string Name, string Text)> files, Func<JurisdictionHead, bool> include)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(include);
        // A file that continues a jurisdiction says so in its first key, read without parsing the rest of it; a file that
        // defines one is parsed whole (the definitions are small), its head read as the full load reads it.
        var parsed = new (YamlNode? Root, List<ContentError> Errors)?[files.Count];
        var partOf = new string?[files.Count];
        var headId = new string?[files.Count];
        var included = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var defined = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < files.Count; i++)
        {
            if (JurisdictionParser.PartOfId(files[i].Text) is { } id)
            {
                partOf[i] = id;
                continue;
            }

            var file = Parse(files[i]);
            if (file.Root is null || JurisdictionParser.HeadOf(files[i].Name, file.Root) is not { } head)
            {
                return Load(files); // a file in error: the full load reports every error as it always has
            }

            parsed[i] = file;
            headId[i] = head.Id;
            defined.Add(head.Id);
            if (include(head))
            {
                included.Add(head.Id);
            }
        }

        if (partOf.Any(id => id is not null && !defined.Contains(id)))
        {
            return Load(files);
        }

        var chosen = Enumerable.Range(0, files.Count)
            .Where(i => included.Contains(partOf[i] ?? headId[i]!))
            .ToList();
        var parts = chosen.Where(i => parsed[i] is null).ToList();
        Parallel.ForEach(parts, i => parsed[i] = Parse(files[i]));
        return Build(files, [.. chosen.Select(i => parsed[i]!.Value)], [.. chosen.Select(i => files[i].Name)]);
    }

    private static (YamlNode? Root, List<ContentError> Errors) Parse((string Name, string Text) file)
    {
        var errors = new List<ContentError>();
        return (JurisdictionParser.Document(file.Name, file.Text, errors), errors);
    }

    /// <summary>The content set of the parsed files <paramref name="names"/> (all of <paramref name="files"/> when null), versioned by every one of <paramref name="files"/>.</summary>
    private static ContentSet Build(IReadOnlyList<(string Name, string Text)> files, IReadOnlyList<(YamlNode? Root, List<ContentError> Errors)> parsed, IReadOnlyList<string>? names = null)
    {
        var errors = new List<ContentError>();
        var documents = new List<(string File, YamlNode Root)>();
        for (var i = 0; i < parsed.Count; i++)
        {
            errors.AddRange(parsed[i].Errors);
            if (parsed[i].Root is { } root)
            {
                documents.Add((names?[i] ?? files[i].Name, root));
            }
        }

        var jurisdictions = JurisdictionParser.Parse(documents, errors);
        if (errors.Count > 0)
        {
            throw new ContentValidationException(errors);
        }

        return ContentSet.Create(Version(files), jurisdictions, [.. files.Select(f => new ContentFile(f.Name, f.Text))]);
    }

    /// <summary>The version id of content files given as (name, text): a hash of their names and text, computed without loading them.</summary>
    public static string Version(IReadOnlyList<(string Name, string Text)> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            Append(sha, name, Normalised(text));
        }

        return VersionOf(sha);
    }

    /// <summary>
    /// The version id of files given as (name, UTF-8 bytes): the same as <see cref="Version(IReadOnlyList{ValueTuple{string, string}})"/>
    /// of their texts (<see cref="Decode(byte[])"/>), hashed from the bytes as they are when decoding them and encoding the
    /// text again with its line endings made '\n' gives the same bytes back: valid UTF-8, no byte-order mark, no line
    /// ending but '\n'. Any other file is hashed through its text.
    /// </summary>
    public static string Version(IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var ordered = files.ToArray();
        Array.Sort(ordered, (a, b) => string.CompareOrdinal(a.Name, b.Name)); // OrderBy's order (a stable sort of distinct names)
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, bytes) in ordered)
        {
            Append(sha, name, HashedAsTheyAre(bytes) ? bytes : Normalised(Decode(bytes)));
        }

        return VersionOf(sha);
    }

    /// <summary>Whether the UTF-8 encoding of <paramref name="bytes"/>' text with its line endings made '\n' is <paramref name="bytes"/> itself.</summary>
    private static bool HashedAsTheyAre(ReadOnlySpan<byte> bytes) =>
        (bytes.Length == 0 || bytes[0] is not (0xEF or 0xFE or 0xFF or 0x00))
        && System.Text.Unicode.Utf8.IsValid(bytes)
        && bytes.IndexOfAny((byte)'\r', (byte)'\f') < 0 // with '\n', NEL, LS and PS: what ReplaceLineEndings replaces
        && bytes.IndexOf("\u0085"u8) < 0 && bytes.IndexOf("\u2028"u8) < 0 && bytes.IndexOf("\u2029"u8) < 0;

    /// <summary>A file's text as the version id hashes it: UTF-8, its line endings made '\n'.</summary>
    private static byte[] Normalised(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"));

    private static void Append(IncrementalHash sha, string name, byte[] normalised)
    {
        sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
        sha.AppendData(normalised);
    }

    private static string VersionOf(IncrementalHash sha) => "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
}

/// <summary>What the head of a jurisdiction's defining file says of the exports it governs (the choice of <see cref="ContentLoader.LoadOnly(IReadOnlyList{ValueTuple{string, string}}, Func{JurisdictionHead, bool})"/>).</summary>
/// <param name="Id">The jurisdiction's id (its classifications' prefix).</param>
/// <param name="Exporters">The exporting countries or sets it names ('exporters'), or null: then the country its id names.</param>
/// <param name="ReachesClassifiedItems">Whether it governs items classified under it wherever they are exported from ('reach: classified-items').</param>
public sealed record JurisdictionHead(string Id, DestinationSelector? Exporters, bool ReachesClassifiedItems)
{
    /// <summary>
    /// Whether the jurisdiction can govern an export from <paramref name="exporter"/> of a line classified under the
    /// jurisdictions <paramref name="classifiedUnder"/> (prefixes), on some date: its exporters name the country (or
    /// name sets, whose members change with the date: yes), or the line names an item of its list.
    /// </summary>
    public bool MayGovern(CountryCode exporter, IEnumerable<string> classifiedUnder)
    {
        ArgumentNullException.ThrowIfNull(classifiedUnder);
        var byExporter = Exporters is { } selector
            ? selector.Any || selector.Sets.Count > 0 || (selector.Countries.Contains(exporter) && !selector.ExceptCountries.Contains(exporter))
            : CountryCode.TryParse(Id, out var own) && own == exporter;
        return byExporter || classifiedUnder.Contains(Id, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>
/// Parses jurisdiction files. A jurisdiction is defined by one file with a <c>jurisdiction</c> header and may be
/// continued by any number of files whose header is <c>part_of: ID</c> (the EAR's generated Commerce Control List beside
/// its hand-written rules): a part adds facts, items, sets, rules and licence types to the jurisdiction it names.
/// </summary>
internal static class JurisdictionParser
{
    /// <summary>One file's header: the jurisdiction it defines, or the one it is a part of.</summary>
    private sealed record FileHead(string File, YamlNodes Root, string Id, Func<Body, IReadOnlyList<FactDefinition>, Jurisdiction>? Define, YamlNode? PartOf)
    {
        /// <summary>What the head of a defining file says of when its jurisdiction governs; null for a part.</summary>
        public JurisdictionHead? Summary { get; init; }
    }

    /// <summary>The elements of one jurisdiction, gathered from its files.</summary>
    private sealed record Body(
        List<ControlEntry> Items,
        List<CountrySet> Sets,
        List<RequirementRule> Requirements,
        List<LicenseType> Licenses,
        List<LicenseScopeRule> Scope,
        List<ReviewPeriodRule> Reviews,
        List<ListingRule> ListingRules);

    /// <summary>The jurisdictions the files define, each with the parts that continue it; errors are recorded with file:line.</summary>
    public static List<Jurisdiction> Parse(IReadOnlyList<(string File, YamlNode Root)> documents, List<ContentError> errors)
    {
        var heads = new List<FileHead>();
        foreach (var (file, document) in documents)
        {
            try
            {
                heads.Add(Head(file, document));
            }
            catch (ElementException e)
            {
                errors.Add(e.Error);
            }
        }

        var defined = heads.Where(h => h.Define is not null).Select(h => h.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var part in heads.Where(h => h.PartOf is not null && !defined.Contains(h.Id)))
        {
            errors.Add(new ContentError(part.File, (int)part.PartOf!.Start.Line,
                $"'part_of': no file defines jurisdiction '{part.Id}' (defined: {string.Join(", ", defined.Order(StringComparer.Ordinal))})"));
        }

        var jurisdictions = new List<Jurisdiction>();
        foreach (var head in heads.Where(h => h.Define is not null))
        {
            // The defining file first, then its parts in file-name order: ids must be unique across all of them.
            var files = heads.Where(h => h == head || (h.PartOf is not null && string.Equals(h.Id, head.Id, StringComparison.OrdinalIgnoreCase))).ToList();
            var before = errors.Count;
            var declared = new List<FactDefinition>();
            foreach (var f in files)
            {
                declared.AddRange(Elements(f.Root, "facts", f.File, errors, ParseFact));
            }

            var facts = Facts.BuiltIn.Concat(declared).ToList();
            var body = new Body([], [], [], [], [], [], []);
            foreach (var f in files)
            {
                AddElements(f, facts, body, errors);
            }

            if (errors.Count == before)
            {
                try
                {
                    jurisdictions.Add(head.Define!(body, declared));
                }
                catch (ElementException e)
                {
                    errors.Add(e.Error);
                }
            }
        }

        return jurisdictions;
    }

    /// <summary>Parses one file on its own (a file that defines its jurisdiction entirely).</summary>
    public static Jurisdiction? Parse(string file, string text, List<ContentError> errors)
    {
        if (Document(file, text, errors) is not { } document)
        {
            return null;
        }

        var parsed = Parse([(file, document)], errors);
        return parsed.Count == 1 ? parsed[0] : null;
    }

    /// <summary>The one YAML document of a file, or null with the syntax error recorded (file:line).</summary>
    internal static YamlNode? Document(string file, string text, List<ContentError> errors)
    {
        var stream = new YamlStream();
        try
        {
            // A generated file is read without YamlDotNet's scanner when it keeps the generators' layout (same tree).
            if (GeneratedYamlParser.TryCreate(text) is { } generated)
            {
                stream.Load(generated);
            }
            else
            {
                stream.Load(new StringReader(text));
            }
        }
        catch (YamlException e)
        {
            errors.Add(new ContentError(file, (int)e.Start.Line, "YAML syntax: " + e.Message));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // The representation model gave up without a position: the last event the parser read locates the fault.
            errors.Add(new ContentError(file, LastParsedLine(text), "YAML syntax: " + e.Message));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new ContentError(file, 1, "expected exactly one YAML document"));
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static FileHead Head(string file, YamlNode document)
    {
        var root = new YamlNodes(file, document, "file");
        var partOf = root.Node("part_of");
        var headNode = root.Node("jurisdiction");
        if (partOf is not null)
        {
            if (headNode is not null)
            {
                throw root.Fail(partOf, "'part_of': a file either defines a jurisdiction ('jurisdiction') or continues one ('part_of'), not both");
            }

            var partId = partOf is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw root.Fail(partOf, "'part_of': expected the id of a jurisdiction");
            return new FileHead(file, root, partId, null, partOf);
        }

        var head = new YamlNodes(file, headNode ?? throw root.Fail("'jurisdiction' is required (or 'part_of: ID' in a file that continues a jurisdiction)"), "jurisdiction");
        var id = head.Required("id");
        var name = head.Required("name");
        var law = head.Required("law");
        var coverage = head.Date("coverage_from") ?? throw head.Fail("'coverage_from' is required");
        var endUserList = head.String("end_user_list");
        var exporters = head.Node("exporters") is null ? null : Selector(head, "exporters");
        var reach = head.String("reach") switch
        {
            null => false,
            "classified-items" => true,
            var other => throw head.Fail(head.Node("reach")!, $"'reach': '{other}' is not 'classified-items'"),
        };
        var incomplete = head.String("incomplete");
        var codePattern = head.String("code_pattern");
        var reviewed = head.Date("reviewed");
        var listAsOf = head.Date("list_as_of");
        var individualLicense = head.String("individual_license") ?? "individual";
        var noLicenseNote = head.String("no_license_note");
        var citation = head.Citation();
        head.RejectUnknown();
        return new FileHead(file, root, id, (body, declared) =>
            new Jurisdiction(id, name, law, coverage, endUserList, body.Items, body.Sets, body.Requirements, body.Licenses, body.Scope, body.Reviews, citation, root.Source)
            {
                Exporters = exporters,
                ReachesClassifiedItems = reach,
                Incomplete = incomplete,
                CodePattern = codePattern,
                Reviewed = reviewed,
                ListAsOf = listAsOf,
                IndividualLicense = individualLicense,
                NoLicenseNote = noLicenseNote,
                DeclaredFacts = declared,
                ListingRules = body.ListingRules,
            }, null)
        {
            Summary = new JurisdictionHead(id, exporters, reach),
        };
    }

    /// <summary>The head of a file that defines a jurisdiction, read as <see cref="Parse(IReadOnlyList{ValueTuple{string, YamlNode}}, List{ContentError})"/> reads it; null for a part or a head in error.</summary>
    internal static JurisdictionHead? HeadOf(string file, YamlNode document)
    {
        try
        {
            return Head(file, document).Summary;
        }
        catch (ElementException)
        {
            return null;
        }
    }

    /// <summary>
    /// The jurisdiction a file continues when its first key is <c>part_of</c> (read from the first few YAML events, not
    /// the whole file); null otherwise, or when the file does not start as a mapping.
    /// </summary>
    internal static string? PartOfId(string text)
    {
        try
        {
            var parser = new YamlDotNet.Core.Parser(new StringReader(text));
            if (!parser.TryConsume<YamlDotNet.Core.Events.StreamStart>(out _) || !parser.TryConsume<YamlDotNet.Core.Events.DocumentStart>(out _)
                || !parser.TryConsume<YamlDotNet.Core.Events.MappingStart>(out _))
            {
                return null;
            }

            return parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var key) && key.Value == "part_of"
                && parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var value) && value.Value.Length > 0 ? value.Value : null;
        }
        catch (YamlException)
        {
            return null;
        }
    }

    private static void AddElements(FileHead f, IReadOnlyList<FactDefinition> facts, Body body, List<ContentError> errors)
    {
        var (file, root) = (f.File, f.Root);
        body.Items.AddRange(Elements(root, "items", file, errors, ParseItem));
        body.Sets.AddRange(Elements(root, "country_sets", file, errors, n => ParseSet(n, file, errors)));
        body.Requirements.AddRange(Elements(root, "requirements", file, errors, n => ParseRequirement(n, facts)));
        body.Licenses.AddRange(Elements(root, "license_types", file, errors, n => new LicenseType(n.Required("id"), n.Required("name"), n.String("validity"), n.Citation(), n.Source)));
        body.Scope.AddRange(Elements(root, "license_scope", file, errors, n => ParseScopes(n, facts)).SelectMany(rules => rules));
        body.Reviews.AddRange(Elements(root, "review_periods", file, errors, n => new ReviewPeriodRule(
            n.Required("id"), n.Required("license"), n.Int("days"), Destinations(n), n.Periods(), n.Citation(), n.Source)));
        body.ListingRules.AddRange(Elements(root, "listing_rules", file, errors, ParseListingRule));
        try
        {
            root.RejectUnknown();
        }
        catch (ElementException e)
        {
            errors.Add(e.Error);
        }
    }

    private static int LastParsedLine(string text)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        var line = 1;
        try
        {
            while (parser.MoveNext())
            {
                line = (int)parser.Current!.End.Line;
            }
        }
        catch (YamlException e)
        {
            return (int)e.Start.Line;
        }
        catch (InvalidOperationException)
        {
            return line;
        }

        return line;
    }

    private static List<T> Elements<T>(YamlNodes root, string key, string file, List<ContentError> errors, Func<YamlNodes, T> parse)
    {
        var list = new List<T>();
        foreach (var node in root.Sequence(key))
        {
            try
            {
                var element = new YamlNodes(file, node, key);
                var value = parse(element);
                element.RejectUnknown();
                list.Add(value);
            }
            catch (ElementException e)
            {
                errors.Add(e.Error);
            }
            catch (ArgumentException e)
            {
                errors.Add(new ContentError(file, (int)node.Start.Line, $"{key}: {e.Message}"));
            }
        }

        return list;
    }

    internal static ControlEntry ParseItem(YamlNodes n) =>
        new(n.Required("code"), n.String("parent"), n.Required("title"), n.Bool("catch_all"), n.Citation(), n.Source)
        {
            Attributes = n.Node("attributes") is { } node ? Attributes(n, node, "attributes") : new Dictionary<string, IReadOnlyList<string>>(),
            NotInherited = n.Node("not_inherited") is { } not ? Attributes(n, not, "not_inherited") : new Dictionary<string, IReadOnlyList<string>>(),
        };

    private static Dictionary<string, IReadOnlyList<string>> Attributes(YamlNodes n, YamlNode node, string key)
    {
        var map = new YamlNodes(n.Source.File, node, key);
        return map.Entries().ToDictionary(e => e.Key, e => map.OneOrMany(e.Value, $"{key}.{e.Key}"), StringComparer.Ordinal);
    }

    private static FactDefinition ParseFact(YamlNodes n)
    {
        var id = n.Required("id");
        if (Facts.BuiltIn.Any(f => f.Id == id))
        {
            throw n.Fail($"fact '{id}' is built in; declare only facts beyond {string.Join(", ", Facts.BuiltIn.Select(f => f.Id))}");
        }

        var type = n.Required("type") switch
        {
            "boolean" => FactType.Boolean,
            "enumeration" => FactType.Enumeration,
            "amount" => FactType.Amount,
            var other => throw n.Fail(n.Node("type")!, $"'type': '{other}' is not boolean, enumeration or amount"),
        };
        var values = n.Strings("values");
        if ((type == FactType.Enumeration) != (values.Count > 0))
        {
            throw n.Fail($"fact '{id}': 'values' is required for an enumeration and only for one");
        }

        bool? fallback = n.Node("default") is null ? null : n.Bool("default");
        if (fallback is not null && type != FactType.Boolean)
        {
            throw n.Fail($"fact '{id}': 'default' is allowed only for a boolean fact");
        }

        var screenedBy = n.String("screened_by");
        if (screenedBy is not null && type != FactType.Boolean)
        {
            throw n.Fail($"fact '{id}': 'screened_by' is allowed only for a boolean fact");
        }

        var parties = ScreenedParties(n, id, screenedBy);
        _ = n.Citation();
        return new FactDefinition(id, type, values, n.Required("description"), fallback) { ScreenedBy = screenedBy, ScreenedParties = parties };
    }

    /// <summary>
    /// <c>screened_parties</c>: the parties whose screening answers a fact <c>screened_by</c> a list (end_user,
    /// consignee, purchaser, intermediate_consignee); the end user alone when not given. Only with <c>screened_by</c>, each party once.
    /// </summary>
    private const string PartyNames = "end_user, consignee, purchaser, intermediate_consignee";

    private static IReadOnlyList<ScreenedParty> ScreenedParties(YamlNodes n, string id, string? screenedBy)
    {
        var names = n.Strings("screened_parties");
        if (names.Count == 0)
        {
            return n.Node("screened_parties") is null ? [ScreenedParty.EndUser] : throw n.Fail(n.Node("screened_parties")!, $"fact '{id}': 'screened_parties' names no party ({PartyNames})");
        }

        if (screenedBy is null)
        {
            throw n.Fail(n.Node("screened_parties")!, $"fact '{id}': 'screened_parties' is allowed only with 'screened_by'");
        }

        var parties = new List<ScreenedParty>();
        foreach (var name in names)
        {
            var party = name switch
            {
                "end_user" => ScreenedParty.EndUser,
                "consignee" => ScreenedParty.Consignee,
                "purchaser" => ScreenedParty.Purchaser,
                "intermediate_consignee" => ScreenedParty.IntermediateConsignee,
                _ => throw n.Fail(n.Node("screened_parties")!, $"fact '{id}': 'screened_parties': '{name}' is not one of {PartyNames}"),
            };
            if (parties.Contains(party))
            {
                throw n.Fail(n.Node("screened_parties")!, $"fact '{id}': 'screened_parties' names '{name}' twice");
            }

            parties.Add(party);
        }

        return parties;
    }

    private static ListingRule ParseListingRule(YamlNodes n)
    {
        var rule = n.Required("rule");
        if (!System.Text.RegularExpressions.Regex.IsMatch(rule, @"^[0-9]{1,3} FR [0-9]{1,6}$"))
        {
            throw n.Fail(n.Node("rule")!, $"'rule': '{rule}' is not a Federal Register citation such as '84 FR 22961'");
        }

        var effective = n.Date("effective") ?? throw n.Fail("'effective' is required");
        int? lastPage = n.Node("last_page") is null ? null : n.Int("last_page");
        if (lastPage is { } last && last < int.Parse(rule[(rule.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
        {
            throw n.Fail(n.Node("last_page")!, $"'last_page': {last} is before the rule's first page ({rule})");
        }

        return new ListingRule(rule, effective, n.Date("published"), n.Required("title"), n.Citation(), n.Source) { LastPage = lastPage };
    }

    private static CountrySet ParseSet(YamlNodes n, string file, List<ContentError> errors)
    {
        var id = n.Required("id");
        var name = n.Required("name");
        var citation = n.Citation();
        var unionOf = n.Strings("union_of");
        var residualOf = n.Strings("residual_of");
        var memberNodes = n.Sequence("members").ToList();
        var kind = (unionOf.Count > 0, residualOf.Count > 0, memberNodes.Count > 0) switch
        {
            (true, false, false) => CountrySetKind.Union,
            (false, true, false) => CountrySetKind.Residual,
            (false, false, _) => CountrySetKind.Explicit,
            _ => throw n.Fail($"country set '{id}': give exactly one of 'members', 'union_of', 'residual_of'"),
        };
        // Announcements of the set's changes: a membership starting or ending on 'effective' that gives no announcement
        // of its own became known on 'date' (one notice moves many countries: Korea's Ga split of 18 Sep 2019).
        var announcements = new Dictionary<LocalDate, (Announcement Known, YamlNode Node)>();
        foreach (var node in n.Sequence("announcements"))
        {
            var a = new YamlNodes(file, node, "announcement");
            var effective = a.Date("effective") ?? throw a.Fail("'effective': the day the announced change takes effect is required");
            var known = n.Announcement(a.Node("known") ?? throw a.Fail("'known': {date, cite} is required"), "known");
            a.RejectUnknown();
            if (!announcements.TryAdd(effective, (known, node)))
            {
                throw a.Fail($"'effective': {LocalDatePattern.Iso.Format(effective)} is announced twice");
            }
        }

        var members = new List<Membership>();
        foreach (var node in memberNodes)
        {
            try
            {
                var m = new YamlNodes(file, node, "member");
                var countryText = m.Required("country");
                if (!CountryCode.TryParse(countryText, out var country))
                {
                    throw m.Fail($"'country': '{countryText}' is not an ISO 3166-1 alpha-2 code");
                }

                var memberCitation = m.Citation(citation);
                _ = m.String("name");
                members.AddRange(m.Periods(citation).Select(p => new Membership(country, p with
                {
                    StartKnown = p.StartKnown ?? (p.IsOpenStart ? null : announcements.GetValueOrDefault(p.From).Known),
                    EndKnown = p.EndKnown ?? (p.To is { } to ? announcements.GetValueOrDefault(to).Known : null),
                }, memberCitation, m.Source)));
                m.RejectUnknown();
            }
            catch (ElementException e)
            {
                errors.Add(e.Error);
            }
        }

        foreach (var (effective, (_, node)) in announcements)
        {
            if (!members.Any(m => m.Period.From == effective || m.Period.To == effective))
            {
                throw n.Fail(node, $"announcement: no membership of '{id}' starts or ends on {LocalDatePattern.Iso.Format(effective)}");
            }
        }

        // 'from'/'to' on the set itself: when the set exists in law (Groups A-D from 2 Aug 2019).
        var existence = n.Periods();
        if (existence.Count != 1)
        {
            throw n.Fail($"country set '{id}': give the set's existence as one 'from'/'to', not 'periods'");
        }

        return new CountrySet(id, name, kind, members, kind == CountrySetKind.Union ? unionOf : residualOf, n.Bool("group"), n.String("description"), citation, n.Source)
        {
            Existence = existence[0],
        };
    }

    internal static RequirementRule ParseRequirement(YamlNodes n, IReadOnlyList<FactDefinition> facts)
    {
        var kindText = n.Required("kind");
        if (!Names.TryParseRequirementKind(kindText, out var kind))
        {
            throw n.Fail($"'kind': '{kindText}' is not one of list, catch-all, end-user, embargo, gap");
        }

        RuleException? exception = null;
        if (n.Node("exception") is { } node)
        {
            var e = new YamlNodes(n.Source.File, node, "exception");
            exception = new RuleException(e.Required("license"), e.Required("condition"));
            e.RejectUnknown();
        }

        var policy = n.String("review_policy");
        if (policy is not null && !RequirementRule.ReviewPolicies.Any(p => policy.StartsWith(p, StringComparison.Ordinal)))
        {
            throw n.Fail(n.Node("review_policy")!, $"'review_policy': start with one of {string.Join(", ", RequirementRule.ReviewPolicies)}");
        }

        return new RequirementRule(n.Required("id"), kind, n.Required("title"), Items(n), Destinations(n), When(n, facts), n.Periods(), n.Citation(), n.Source)
        {
            Exception = exception,
            ReviewPolicy = policy,
            ExportedFrom = n.Node("exported_from") is null ? null : Selector(n, "exported_from"),
        };
    }

    /// <summary>
    /// A <c>license_scope</c> element of a content file: one rule, or, for a <c>deny</c> that names <c>licenses</c> (a
    /// list) instead of <c>license</c>, one rule per licence type, each with the element's selectors, conditions, dates
    /// and citation, its id <c>ID-LICENCE</c> and its title with <c>{license}</c> replaced by the licence type. One
    /// provision that withdraws a set of licence exceptions (744.2(c), 744.3(c), 744.4(c): "No License Exceptions
    /// apply" to a WMD end use) is then written once; the evaluators see the rules they saw written out, so answers
    /// name the same rule per licence. Overlays add one rule per change (<c>license</c> only).
    /// </summary>
    internal static IReadOnlyList<LicenseScopeRule> ParseScopes(YamlNodes n, IReadOnlyList<FactDefinition> facts)
    {
        if (n.Node("licenses") is null)
        {
            return [ParseScope(n, facts)];
        }

        if (n.Node("license") is not null)
        {
            throw n.Fail("give 'license' (one licence type) or 'licenses' (a deny withdrawing several), not both");
        }

        var licences = n.Strings("licenses");
        if (licences.Count == 0)
        {
            throw n.Fail(n.Node("licenses")!, "'licenses': name the licence types the deny withdraws");
        }

        if (licences.Distinct(StringComparer.Ordinal).Count() != licences.Count)
        {
            throw n.Fail(n.Node("licenses")!, "'licenses': a licence type is named twice");
        }

        var one = ParseScope(n, facts, licences[0]);
        if (one.Effect != ScopeEffect.Deny)
        {
            throw n.Fail("'licenses' is for a deny (a provision withdrawing several licence types); an allow names one 'license'");
        }

        if (!one.Title.Contains("{license}", StringComparison.Ordinal))
        {
            throw n.Fail(n.Node("title")!, "'title': with 'licenses', say where each licence type goes with {license}");
        }

        return [.. licences.Select(licence => one with { Id = $"{one.Id}-{licence}", License = licence, Title = one.Title.Replace("{license}", licence, StringComparison.Ordinal) })];
    }

    internal static LicenseScopeRule ParseScope(YamlNodes n, IReadOnlyList<FactDefinition> facts) => ParseScope(n, facts, null);

    private static LicenseScopeRule ParseScope(YamlNodes n, IReadOnlyList<FactDefinition> facts, string? license)
    {
        var effect = n.Required("effect") switch
        {
            "allow" => ScopeEffect.Allow,
            "deny" => ScopeEffect.Deny,
            var other => throw n.Fail($"'effect': '{other}' is not allow or deny"),
        };
        // A ground is a requirement kind or a requirement id (whether the id is defined is checked with the whole content).
        var named = n.Strings("grounds");
        var grounds = named.Select(g => Names.TryParseRequirementKind(g, out var k) ? (RequirementKind?)k : null).OfType<RequirementKind>().ToArray();
        return new LicenseScopeRule(n.Required("id"), license ?? n.Required("license"), effect, n.Required("title"), Items(n), Destinations(n), grounds, n.String("condition"), n.Periods(), n.Citation(), n.Source)
        {
            When = When(n, facts),
            GroundRules = [.. named.Where(g => !Names.TryParseRequirementKind(g, out _))],
            ExportedFrom = n.Node("exported_from") is null ? null : Selector(n, "exported_from"),
        };
    }

    private static ItemSelector Items(YamlNodes n)
    {
        var node = n.Node("items") ?? throw n.Fail("'items' is required ('any', a list of item codes, or a mapping with 'any', 'listed' or 'codes', and 'where' and 'except')");
        switch (node)
        {
            case YamlScalarNode { Value: "any" }:
                return ItemSelector.All;
            case YamlSequenceNode:
                return new ItemSelector(false, n.Strings("items"));
            case YamlMappingNode:
                var m = new YamlNodes(n.Source.File, node, "items");
                var selector = new ItemSelector(m.Bool("any"), m.Strings("codes"))
                {
                    Listed = m.Bool("listed"),
                    Where = m.Node("where") is { } where ? Attributes(m, where, "where") : new Dictionary<string, IReadOnlyList<string>>(),
                    Except = Exceptions(m),
                };
                m.RejectUnknown();
                var kinds = (selector.Any ? 1 : 0) + (selector.Listed ? 1 : 0) + (selector.Codes.Count > 0 ? 1 : 0);
                if (kinds == 0)
                {
                    throw m.Fail("'items': name 'any: true', 'listed: true' or 'codes' (and narrow them with 'where' and 'except')");
                }

                if (kinds > 1)
                {
                    throw m.Fail("'items': name one of 'any: true', 'listed: true' and 'codes', not several");
                }

                return selector;
            default:
                throw n.Fail(node, "'items': expected 'any', a list of item codes, or a mapping with 'any', 'listed' or 'codes', and 'where' and 'except'");
        }
    }

    /// <summary>
    /// The entries an item selector leaves out: item codes, each once, without spaces (a code typed "5A992 .c" or
    /// repeated is a typo that could change which items a rule takes). Whether each is defined and taken by the rest of
    /// the selector is checked with the whole content (ContentValidator).
    /// </summary>
    private static IReadOnlyList<string> Exceptions(YamlNodes m)
    {
        if (m.Node("except") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            throw m.Fail(node, "'except': expected a list of item codes (e.g. [5A992.c, 5D992.c])");
        }

        var codes = new List<string>();
        foreach (var child in list.Children)
        {
            if (child is not YamlScalarNode { Value: { Length: > 0 } code } || code.Any(char.IsWhiteSpace) || code.StartsWith('.') || code.EndsWith('.'))
            {
                throw m.Fail(child, $"'except': '{(child as YamlScalarNode)?.Value ?? child.ToString()}' is not an item code (e.g. 5A992.c)");
            }

            if (codes.Contains(code, StringComparer.Ordinal))
            {
                throw m.Fail(child, $"'except': '{code}' is named twice");
            }

            codes.Add(code);
        }

        return codes;
    }

    private static DestinationSelector Destinations(YamlNodes n) => Selector(n, "destinations");

    private static DestinationSelector Selector(YamlNodes n, string key)
    {
        var node = n.Node(key) ?? throw n.Fail($"'{key}' is required ('any' or a mapping)");
        if (node is YamlScalarNode { Value: "any" })
        {
            return DestinationSelector.All;
        }

        var d = new YamlNodes(n.Source.File, node, key);
        var selector = new DestinationSelector(
            d.Bool("any"),
            Countries(d, "countries"),
            d.Strings("sets"),
            Countries(d, "except_countries"),
            d.Strings("except_sets"));
        d.RejectUnknown();
        if (!selector.Any && selector.Countries.Count == 0 && selector.Sets.Count == 0)
        {
            throw d.Fail($"'{key}': name 'any: true', 'countries' or 'sets'");
        }

        return selector;
    }

    private static CountryCode[] Countries(YamlNodes d, string key) =>
        [.. d.Strings(key).Select(c => CountryCode.TryParse(c, out var code) ? code : throw d.Fail($"'{key}': '{c}' is not an ISO 3166-1 alpha-2 code"))];

    /// <summary>
    /// A rule's fact conditions: each key names a fact (built in or declared) and gives its test: a list (or one value)
    /// of an enumeration, true/false for a boolean, a comparison such as "&lt;= 1500 USD" for an amount.
    /// </summary>
    private static FactCondition When(YamlNodes n, IReadOnlyList<FactDefinition> facts)
    {
        var node = n.Node("when");
        if (node is null)
        {
            return FactCondition.None;
        }

        var w = new YamlNodes(n.Source.File, node, "when");
        var tests = new List<FactTest>();
        foreach (var (key, value) in w.Entries())
        {
            var fact = facts.FirstOrDefault(f => f.Id == key)
                ?? throw w.Fail(value, $"'when': '{key}' is not a fact (facts: {string.Join(", ", facts.Select(f => f.Id))})");
            tests.Add(fact.Type switch
            {
                FactType.Boolean => value is YamlScalarNode { Value: "true" or "false" } flag
                    ? new FlagTest(key, flag.Value == "true")
                    : throw w.Fail(value, $"'when.{key}': expected true or false"),
                FactType.Enumeration => new OneOfTest(key, [.. w.OneOrMany(value, $"when.{key}").Select(v => fact.Values.Contains(v) ? v
                    : throw w.Fail(value, $"'when.{key}': '{v}' is not one of {string.Join(", ", fact.Values)}"))]),
                _ => Comparison(w, value, key),
            });
        }

        return new FactCondition(tests);
    }

    private static CompareTest Comparison(YamlNodes w, YamlNode value, string key)
    {
        var text = value is YamlScalarNode { Value: { } v } ? v.Trim() : "";
        (string Symbol, Comparison Op)[] operators = [("<=", Model.Comparison.LessOrEqual), (">=", Model.Comparison.GreaterOrEqual), ("<", Model.Comparison.Less), (">", Model.Comparison.Greater), ("=", Model.Comparison.Equal)];
        foreach (var (symbol, op) in operators)
        {
            if (text.StartsWith(symbol, StringComparison.Ordinal) && Amount.TryParse(text[symbol.Length..], out var bound))
            {
                if (key == Facts.Value && !ExchangeRates.IsCurrencyCode(bound.Unit))
                {
                    break;
                }

                return new CompareTest(key, op, bound);
            }
        }

        throw w.Fail(value, $"'when.{key}': expected a comparison such as '<= 1500 USD' (operator <, <=, >, >= or =, an amount and its {(key == Facts.Value ? "currency code" : "unit")})");
    }
}
