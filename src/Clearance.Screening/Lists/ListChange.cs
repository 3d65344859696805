namespace Clearance.Screening.Lists;

/// <summary>What a delta file does to one entry of a list: add or replace it, or remove it.</summary>
/// <param name="Kind">Upsert (ADD/MOD) or Remove (DEL).</param>
/// <param name="EntityId">The entry concerned.</param>
/// <param name="Entity">The new content for an upsert; null for a removal.</param>
public sealed record ListChange(ListChangeKind Kind, string EntityId, ListEntity? Entity);

/// <summary>The kinds of <see cref="ListChange"/>.</summary>
public enum ListChangeKind
{
    /// <summary>Add the entry, or replace it when present (FtM ADD and MOD).</summary>
    Upsert,
    /// <summary>Remove the entry (FtM DEL); removing an absent entry is not an error.</summary>
    Remove,
}
