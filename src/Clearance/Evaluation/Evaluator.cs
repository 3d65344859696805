using Clearance.Model;

namespace Clearance.Evaluation;

/// <summary>Every jurisdiction of a content set, compiled; the exporting country selects one.</summary>
public sealed class Evaluator
{
    private readonly CompiledJurisdiction?[] _byCountry = new CompiledJurisdiction?[CountryCode.Count];

    /// <summary>Compiles every jurisdiction of <paramref name="content"/>.</summary>
    public Evaluator(ContentSet content)
    {
        Content = content;
        foreach (var jurisdiction in content.Jurisdictions)
        {
            if (CountryCode.TryParse(jurisdiction.Id, out var country))
            {
                _byCountry[country.Index] = CompiledJurisdiction.Compile(jurisdiction, content.Version);
            }
        }
    }

    /// <summary>The content compiled.</summary>
    public ContentSet Content { get; }

    /// <summary>The jurisdiction whose exports leave <paramref name="exportingCountry"/>, or null when no content covers it.</summary>
    public CompiledJurisdiction? For(CountryCode exportingCountry) => _byCountry[exportingCountry.Index];
}
