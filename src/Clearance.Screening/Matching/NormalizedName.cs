namespace Clearance.Screening.Matching;

/// <summary>
/// A name after <see cref="NameNormalizer.Normalize"/>: Latin tokens with their roles, the joined form
/// used for spacing differences ("SiemensAG", "Pol Pot" / "PolPot"), and the original-script key.
/// </summary>
/// <param name="Source">The name as given.</param>
/// <param name="Tokens">Lower-case ASCII tokens; legal forms replaced by their class token ("~llc").</param>
/// <param name="Roles">The role of each token.</param>
/// <param name="PhoneticKeys">For name words, a consonant skeleton that spelling variants share (mohamed/muhammad → "mhmd"); otherwise null.</param>
/// <param name="Joined">All tokens except titles written together, legal forms as spelled.</param>
/// <param name="OriginalScriptKey">For names written (partly) outside the Latin script: the folded letters and digits in that script, else null.</param>
public sealed record NormalizedName(
    string Source,
    string[] Tokens,
    TokenRole[] Roles,
    string?[] PhoneticKeys,
    string Joined,
    string? OriginalScriptKey)
{
    /// <summary>True when at least one token can carry a match (a name word or a number).</summary>
    public bool HasSubstance => SubstantiveCount > 0;

    /// <summary>The number of name words and numbers.</summary>
    public int SubstantiveCount { get; } = Roles.Count(role => role is TokenRole.Name or TokenRole.Number);
}
