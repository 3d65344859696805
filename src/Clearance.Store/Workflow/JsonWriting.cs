using System.Text.Json;

namespace Clearance.Store;

/// <summary>
/// The members the workflow's JSON texts share (a request, a licence demand), written with <see cref="Utf8JsonWriter"/>
/// exactly as a <see cref="System.Text.Json.Nodes.JsonObject"/> of them serialises.
/// </summary>
public static class JsonWriting
{
    /// <summary>A member whose value is an array of strings.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="values">The strings.</param>
    public static void WriteStrings(this Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray(name);
        foreach (var value in values)
            writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>A member whose value is an amount with its unit (<c>{"amount": 12.5, "unit": "kg"}</c>), or null.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="name">The member's name.</param>
    /// <param name="amount">The amount, or null for a null member.</param>
    /// <param name="unitName">The unit's member name ("unit", "currency").</param>
    /// <param name="unit">The unit.</param>
    public static void WriteAmount(this Utf8JsonWriter writer, string name, decimal? amount, string unitName, string? unit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (amount is not { } value)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("amount", value);
        writer.WriteString(unitName, unit);
        writer.WriteEndObject();
    }
}
