using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Clearance.Screening;
using NodaTime;

namespace Clearance.Store;

/// <summary>
/// The canonical serialisation of an entity: fixed property order, every list written in the list's own order, the source
/// date left out (it belongs to the version, and would otherwise mark every entity changed in each import). Its SHA-256 is
/// the entity's content hash; records' equality cannot serve, as it compares lists by reference.
/// </summary>
internal static class EntityJson
{
    /// <summary>Serialises <paramref name="entity"/> into <paramref name="buffer"/> (cleared first) and returns its content hash.</summary>
    public static byte[] Write(ListEntity entity, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("list", entity.ListId);
            json.WriteString("id", entity.EntityId);
            json.WriteString("kind", entity.Kind.ToString());
            json.WriteString("name", entity.PrimaryName);
            json.WriteStartArray("aliases");
            foreach (var alias in entity.Aliases)
            {
                json.WriteStartObject();
                json.WriteString("name", alias.Name);
                json.WriteString("strength", alias.Strength.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteStrings(json, "addresses", entity.Addresses);
            WriteStrings(json, "countries", entity.Countries);
            WriteStrings(json, "birth_dates", entity.BirthDates);
            json.WriteStartArray("identifiers");
            foreach (var identifier in entity.Identifiers)
            {
                json.WriteStartObject();
                json.WriteString("type", identifier.Type);
                json.WriteString("value", identifier.Value);
                json.WriteString("country", identifier.Country);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteStrings(json, "programs", entity.Programs);
            json.WriteString("remarks", entity.Remarks);
            // Written only when present, so that the hash of every entry of a list without these columns stays as it was.
            if (entity.Listing is { } listing)
            {
                json.WriteStartObject("listing");
                WriteStrings(json, "federal_register", listing.FederalRegisterNotices);
                json.WriteString("license_requirement", listing.LicenseRequirement);
                json.WriteString("license_policy", listing.LicensePolicy);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }
        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>The content hash alone.</summary>
    public static byte[] Hash(ListEntity entity) => Write(entity, new ArrayBufferWriter<byte>());

    /// <summary>Reads an entity back; the source date comes from its version.</summary>
    public static ListEntity Read(ReadOnlyMemory<byte> data, LocalDate? sourceDate)
    {
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        return new ListEntity(
            root.GetProperty("list").GetString()!,
            root.GetProperty("id").GetString()!,
            Enum.Parse<EntityKind>(root.GetProperty("kind").GetString()!),
            root.GetProperty("name").GetString()!,
            root.GetProperty("aliases").EnumerateArray()
                .Select(a => new EntityAlias(a.GetProperty("name").GetString()!, Enum.Parse<AliasStrength>(a.GetProperty("strength").GetString()!)))
                .ToArray(),
            ReadStrings(root, "addresses"),
            ReadStrings(root, "countries"),
            ReadStrings(root, "birth_dates"),
            root.GetProperty("identifiers").EnumerateArray()
                .Select(i => new EntityIdentifier(i.GetProperty("type").GetString()!, i.GetProperty("value").GetString()!, i.GetProperty("country").GetString()))
                .ToArray(),
            ReadStrings(root, "programs"),
            root.GetProperty("remarks").GetString(),
            sourceDate)
        {
            Listing = root.TryGetProperty("listing", out var listing)
                ? new ExportListing(ReadStrings(listing, "federal_register"), listing.GetProperty("license_requirement").GetString()!, listing.GetProperty("license_policy").GetString()!)
                : null,
        };
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static string[] ReadStrings(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(v => v.GetString()!).ToArray();
}
