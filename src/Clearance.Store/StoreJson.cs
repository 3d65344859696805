using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clearance.Store;

/// <summary>
/// The JSON texts the store writes and reads, their serialisation generated at compile time (a Native AOT build has no
/// reflection-based serializer). The records stand for the anonymous objects the store serialised before: the same members
/// in the same order, named in snake case ("PartyKey" is written "party_key"), so that every text is byte for byte what it
/// was: audit hashes are over stored texts, and a database written before must still verify.
/// <see cref="Default"/> escapes as the serializer's default options do (stored lists of names, licence numbers);
/// <see cref="Relaxed"/> as the store's audit options did (<see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
[JsonSerializable(typeof(JsonShapes.SourceFile[]))]
[JsonSerializable(typeof(JsonShapes.KeyAudit))]
[JsonSerializable(typeof(JsonShapes.DecisionInputs))]
[JsonSerializable(typeof(JsonShapes.DecisionOutputs))]
[JsonSerializable(typeof(JsonShapes.LicenseAudit))]
[JsonSerializable(typeof(JsonShapes.StateInputs))]
[JsonSerializable(typeof(JsonShapes.StateOutputs))]
[JsonSerializable(typeof(JsonShapes.ReverseInputs))]
[JsonSerializable(typeof(JsonShapes.ReverseOutputs))]
[JsonSerializable(typeof(JsonShapes.ChangeInputs))]
[JsonSerializable(typeof(JsonShapes.RepeatOutputs))]
internal sealed partial class StoreJson : JsonSerializerContext
{
    /// <summary>The types with the store's audit escaping (non-ASCII letters as they are), names in snake case as <see cref="Default"/>.</summary>
    public static StoreJson Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>
/// The shapes of the JSON texts of <see cref="StoreJson"/>: records in place of the anonymous objects the store serialised
/// before, their members in the same order.
/// </summary>
internal static class JsonShapes
{
    /// <summary>A file of a list version (list_versions.source_files).</summary>
    internal sealed record SourceFile(string Path, string Sha256, long Bytes);

    /// <summary>An API key's audit inputs (key.create, key.revoke).</summary>
    internal sealed record KeyAudit(string Name, string Role);

    /// <summary>A screening decision's audit inputs.</summary>
    internal sealed record DecisionInputs(string Party, string Entity, string Decision, string Reason);

    /// <summary>A screening decision's audit outputs.</summary>
    internal sealed record DecisionOutputs(long Id, string PartyKey, string List, long Version, string ContentHash, string EntryName);

    /// <summary>A licence in the wire's names (license.add's inputs, and what tells the same licence added again).</summary>
    internal sealed record LicenseAudit(
        string Number, string Jurisdiction, string Type, string Holder, IReadOnlyList<string> Items, IReadOnlyList<string> Destinations,
        IReadOnlyList<string> Consignees, IReadOnlyList<string> EndUsers, string ValidFrom, string? ValidTo, QuantityLimit? Quantity, ValueLimit? Value,
        decimal Tolerance, string State);

    /// <summary>A licence's quantity limit.</summary>
    internal sealed record QuantityLimit(decimal Amount, string Unit);

    /// <summary>A licence's value limit.</summary>
    internal sealed record ValueLimit(decimal Amount, string Currency);

    /// <summary>A licence's change of state: audit inputs.</summary>
    internal sealed record StateInputs(string State, string On, string Reason);

    /// <summary>A licence's change of state: audit outputs.</summary>
    internal sealed record StateOutputs(string Previous);

    /// <summary>A drawdown's reversal: audit inputs.</summary>
    internal sealed record ReverseInputs(string Shipment, long Reverses, string Reason);

    /// <summary>A drawdown's reversal: audit outputs.</summary>
    internal sealed record ReverseOutputs(long Sequence);

    /// <summary>An officer's change of a line (release, reject, cancel, assign): audit inputs.</summary>
    internal sealed record ChangeInputs(string? License, string? Reason);

    /// <summary>A line submitted again: audit outputs (the stored line's status and licence).</summary>
    internal sealed record RepeatOutputs(string Status, string? License, bool Repeated, bool Differs);
}
