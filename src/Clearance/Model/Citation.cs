namespace Clearance.Model;

/// <summary>Where a fact comes from: the legal text, a source address, and whether it is confirmed.</summary>
/// <param name="Text">The legal citation, e.g. "Export Trade Control Order, Appended Table 1, row 3(1)".</param>
/// <param name="Url">Address of the source the fact was read from.</param>
/// <param name="Unconfirmed">True when no source confirms the fact (it is derived or assumed); shown with every result it affects.</param>
/// <param name="Note">Why the fact is unconfirmed or how it was derived.</param>
public sealed record Citation(string Text, string? Url, bool Unconfirmed, string? Note);

/// <summary>Where in a content file an element was defined, for error messages and traces.</summary>
/// <param name="File">Content file name.</param>
/// <param name="Line">1-based line.</param>
public readonly record struct SourceRef(string File, int Line)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}
