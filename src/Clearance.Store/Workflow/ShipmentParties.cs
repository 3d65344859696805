using System.Text;
using System.Text.Json;

namespace Clearance.Store;

/// <summary>The facts of a stored request that a recheck reads without the request: its parties, destination and requested licence.</summary>
/// <param name="EndUser">The end user, or null.</param>
/// <param name="Consignee">The consignee, or null.</param>
/// <param name="Destination">The destination (alpha-2), or "" when the request has none.</param>
/// <param name="License">The licence number the line was submitted with, or null.</param>
/// <param name="Purchaser">The purchaser, or null.</param>
/// <param name="IntermediateConsignees">The intermediate consignees as a JSON array of names (<see cref="NamesJson"/>), or null when none.</param>
public readonly record struct ShipmentParties(string? EndUser, string? Consignee, string Destination, string? License, string? Purchaser = null, string? IntermediateConsignees = null)
{
    /// <summary>Names as the <c>intermediate_consignees</c> column keeps them: a JSON array, null when there are none.</summary>
    /// <param name="names">The names, or null.</param>
    public static string? NamesJson(IReadOnlyList<string>? names) => names is not { Count: > 0 } ? null : JsonSerializer.Serialize(names, StoreJson.Default.IReadOnlyListString);

    /// <summary>The names of an <c>intermediate_consignees</c> column (null or not an array of strings: none).</summary>
    /// <param name="json">The column's text.</param>
    public static IReadOnlyList<string>? Names(string? json)
    {
        if (json is null)
            return null;
        try
        {
            return JsonSerializer.Deserialize(json, StoreJson.Default.StringArray) is { Length: > 0 } names ? names : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The top-level <c>end_user</c>, <c>consignee</c>, <c>to</c>, <c>license</c> and <c>purchaser</c> strings and the
    /// <c>intermediate_consignees</c> array of <paramref name="request"/> (JSON), as the migration's json_extract reads
    /// them; nested objects are skipped unread.
    /// </summary>
    internal static ShipmentParties Read(string request)
    {
        try
        {
            return ReadJson(request);
        }
        catch (JsonException)
        {
            return new ShipmentParties(null, null, "", null); // not JSON (SQLite keeps whatever it is given): no facts, as the migration's backfill gives
        }
    }

    /// <summary>The UTF-8 of a request, one buffer per thread (lines are prepared on the checking thread).</summary>
    [ThreadStatic]
    private static byte[]? t_utf8;

    private static ShipmentParties ReadJson(string request)
    {
        // Read from a buffer the thread keeps, the member names compared as UTF-8 rather than made into strings: a line is
        // prepared this way for every line submitted, and the names were most of what it allocated.
        var most = Encoding.UTF8.GetMaxByteCount(request.Length);
        var utf8 = t_utf8 is { } kept && kept.Length >= most ? kept : t_utf8 = new byte[Math.Max(most, 1024)];
        var reader = new Utf8JsonReader(utf8.AsSpan(0, Encoding.UTF8.GetBytes(request, utf8)));
        string? endUser = null, consignee = null, to = null, license = null, purchaser = null;
        List<string>? intermediates = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return new ShipmentParties(null, null, "", null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = Member(ref reader);
            reader.Read();
            if (member == Party.IntermediateConsignees && reader.TokenType == JsonTokenType.StartArray)
            {
                intermediates = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                        intermediates.Add(reader.GetString()!);
                    else
                        reader.Skip();
                }

                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            // A member given twice: the last one, as before (and as json_extract reads it).
            switch (member)
            {
                case Party.EndUser: endUser = reader.GetString(); break;
                case Party.Consignee: consignee = reader.GetString(); break;
                case Party.To: to = reader.GetString(); break;
                case Party.License: license = reader.GetString(); break;
                case Party.Purchaser: purchaser = reader.GetString(); break;
            }
        }

        return new ShipmentParties(endUser, consignee, to ?? "", license, purchaser, NamesJson(intermediates));
    }

    private enum Party
    {
        Other,
        EndUser,
        Consignee,
        To,
        License,
        Purchaser,
        IntermediateConsignees,
    }

    /// <summary>Which of the members read is at the reader's property name (compared unescaped, as GetString would give it).</summary>
    private static Party Member(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("end_user"u8) ? Party.EndUser
        : reader.ValueTextEquals("consignee"u8) ? Party.Consignee
        : reader.ValueTextEquals("to"u8) ? Party.To
        : reader.ValueTextEquals("license"u8) ? Party.License
        : reader.ValueTextEquals("purchaser"u8) ? Party.Purchaser
        : reader.ValueTextEquals("intermediate_consignees"u8) ? Party.IntermediateConsignees
        : Party.Other;
}
