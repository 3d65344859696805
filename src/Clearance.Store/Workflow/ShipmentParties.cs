using System.Text;
using System.Text.Json;

namespace Clearance.Store;

/// <summary>The facts of a stored request that a recheck reads without the request: its parties, destination and requested licence.</summary>
/// <param name="EndUser">The end user, or null.</param>
/// <param name="Consignee">The consignee, or null.</param>
/// <param name="Destination">The destination (alpha-2), or "" when the request has none.</param>
/// <param name="License">The licence number the line was submitted with, or null.</param>
public readonly record struct ShipmentParties(string? EndUser, string? Consignee, string Destination, string? License)
{
    /// <summary>
    /// The top-level <c>end_user</c>, <c>consignee</c>, <c>to</c> and <c>license</c> strings of <paramref name="request"/>
    /// (JSON), as the migration's json_extract reads them; nested objects are skipped unread.
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
        string? endUser = null, consignee = null, to = null, license = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return new ShipmentParties(null, null, "", null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = Member(ref reader);
            reader.Read();
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
            }
        }

        return new ShipmentParties(endUser, consignee, to ?? "", license);
    }

    private enum Party
    {
        Other,
        EndUser,
        Consignee,
        To,
        License,
    }

    /// <summary>Which of the members read is at the reader's property name (compared unescaped, as GetString would give it).</summary>
    private static Party Member(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("end_user"u8) ? Party.EndUser
        : reader.ValueTextEquals("consignee"u8) ? Party.Consignee
        : reader.ValueTextEquals("to"u8) ? Party.To
        : reader.ValueTextEquals("license"u8) ? Party.License
        : Party.Other;
}
