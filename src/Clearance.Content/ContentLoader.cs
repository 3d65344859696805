using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Clearance.Model;
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
    public static ContentSet LoadBuiltIn()
    {
        var assembly = typeof(ContentLoader).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[ResourcePrefix.Length..], Read(assembly, n)))
            .ToList();
        return Load(files);
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
        var errors = new List<ContentError>();
        var jurisdictions = new List<Jurisdiction>();
        foreach (var (name, text) in files)
        {
            if (JurisdictionParser.Parse(name, text, errors) is { } jurisdiction)
            {
                jurisdictions.Add(jurisdiction);
            }
        }

        if (errors.Count > 0)
        {
            throw new ContentValidationException(errors);
        }

        return ContentSet.Create(Version(files), jurisdictions);
    }

    private static string Version(IReadOnlyList<(string Name, string Text)> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
            sha.AppendData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")));
        }

        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>Parses one jurisdiction file.</summary>
internal static class JurisdictionParser
{
    public static Jurisdiction? Parse(string file, string text, List<ContentError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
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

        var before = errors.Count;
        try
        {
            var root = new YamlNodes(file, stream.Documents[0].RootNode, "file");
            var head = new YamlNodes(file, root.Node("jurisdiction") ?? throw root.Fail("'jurisdiction' is required"), "jurisdiction");
            var id = head.Required("id");
            var name = head.Required("name");
            var law = head.Required("law");
            var coverage = head.Date("coverage_from") ?? throw head.Fail("'coverage_from' is required");
            var endUserList = head.String("end_user_list");
            var citation = head.Citation();
            head.RejectUnknown();

            var items = Elements(root, "items", file, errors, n => ParseItem(n));
            var sets = Elements(root, "country_sets", file, errors, n => ParseSet(n, file, errors));
            var requirements = Elements(root, "requirements", file, errors, ParseRequirement);
            var licences = Elements(root, "licence_types", file, errors, n => new LicenceType(n.Required("id"), n.Required("name"), n.String("validity"), n.Citation(), n.Source));
            var scope = Elements(root, "licence_scope", file, errors, ParseScope);
            var reviews = Elements(root, "review_periods", file, errors, n => new ReviewPeriodRule(
                n.Required("id"), n.Required("licence"), n.Int("days"), Destinations(n), n.Periods(), n.Citation(), n.Source));
            root.RejectUnknown();
            return errors.Count > before ? null
                : new Jurisdiction(id, name, law, coverage, endUserList, items, sets, requirements, licences, scope, reviews, citation, root.Source);
        }
        catch (ElementException e)
        {
            errors.Add(e.Error);
            return null;
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

    private static ControlEntry ParseItem(YamlNodes n) =>
        new(n.Required("code"), n.String("parent"), n.Required("title"), n.Bool("catch_all"), n.Citation(), n.Source);

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
                members.AddRange(m.Periods().Select(p => new Membership(country, p, memberCitation, m.Source)));
                m.RejectUnknown();
            }
            catch (ElementException e)
            {
                errors.Add(e.Error);
            }
        }

        return new CountrySet(id, name, kind, members, kind == CountrySetKind.Union ? unionOf : residualOf, n.Bool("group"), n.String("description"), citation, n.Source);
    }

    private static RequirementRule ParseRequirement(YamlNodes n)
    {
        var kindText = n.Required("kind");
        if (!Names.TryParseRequirementKind(kindText, out var kind))
        {
            throw n.Fail($"'kind': '{kindText}' is not one of list, catch-all, end-user, embargo");
        }

        return new RequirementRule(n.Required("id"), kind, n.Required("title"), Items(n), Destinations(n), When(n), n.Periods(), n.Citation(), n.Source);
    }

    private static LicenceScopeRule ParseScope(YamlNodes n)
    {
        var effect = n.Required("effect") switch
        {
            "allow" => ScopeEffect.Allow,
            "deny" => ScopeEffect.Deny,
            var other => throw n.Fail($"'effect': '{other}' is not allow or deny"),
        };
        var grounds = n.Strings("grounds").Select(g => Names.TryParseRequirementKind(g, out var k) ? k : throw n.Fail($"'grounds': '{g}' is not a requirement kind")).ToArray();
        return new LicenceScopeRule(n.Required("id"), n.Required("licence"), effect, n.Required("title"), Items(n), Destinations(n), grounds, n.String("condition"), n.Periods(), n.Citation(), n.Source);
    }

    private static ItemSelector Items(YamlNodes n)
    {
        var node = n.Node("items") ?? throw n.Fail("'items' is required ('any' or a list of item codes)");
        return node switch
        {
            YamlScalarNode { Value: "any" } => ItemSelector.All,
            YamlSequenceNode => new ItemSelector(false, n.Strings("items")),
            _ => throw n.Fail(node, "'items': expected 'any' or a list of item codes"),
        };
    }

    private static DestinationSelector Destinations(YamlNodes n)
    {
        var node = n.Node("destinations") ?? throw n.Fail("'destinations' is required ('any' or a mapping)");
        if (node is YamlScalarNode { Value: "any" })
        {
            return DestinationSelector.All;
        }

        var d = new YamlNodes(n.Source.File, node, "destinations");
        var selector = new DestinationSelector(
            d.Bool("any"),
            Countries(d, "countries"),
            d.Strings("sets"),
            Countries(d, "except_countries"),
            d.Strings("except_sets"));
        d.RejectUnknown();
        if (!selector.Any && selector.Countries.Count == 0 && selector.Sets.Count == 0)
        {
            throw d.Fail("'destinations': name 'any: true', 'countries' or 'sets'");
        }

        return selector;
    }

    private static CountryCode[] Countries(YamlNodes d, string key) =>
        [.. d.Strings(key).Select(c => CountryCode.TryParse(c, out var code) ? code : throw d.Fail($"'{key}': '{c}' is not an ISO 3166-1 alpha-2 code"))];

    private static FactCondition When(YamlNodes n)
    {
        var node = n.Node("when");
        if (node is null)
        {
            return FactCondition.None;
        }

        var w = new YamlNodes(n.Source.File, node, "when");
        var endUses = w.Node("end_use") is null ? null
            : w.Strings("end_use").Select(e => Names.TryParseEndUse(e, out var u) && u != EndUse.Unknown ? u : throw w.Fail($"'end_use': '{e}' is not civil, wmd or conventional-military")).ToArray();
        bool? informed = w.Node("informed") is null ? null : w.Bool("informed");
        bool? listed = w.Node("end_user_listed") is null ? null : w.Bool("end_user_listed");
        w.RejectUnknown();
        return new FactCondition(endUses, informed, listed);
    }
}
