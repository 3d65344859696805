using System.Text;
using System.Text.Json;

namespace Clearance.Store;

/// <summary>The facts of a stored request that a recheck reads without the request: its parties, destination and requested licence.</summary>
/// <param name="EndUser">The end user, or null.</param>
/// <param name="Consignee">The consignee, or null.</param>
/// <param name="Destination">The destination (alpha-2), or "" when the request has none.</param>
/// <param name="License">The licence number the line was submitted with, or null.</param>
internal readonly record struct ShipmentParties(string? EndUser, string? Consignee, string Destination, string? License)
{
    /// <summary>
    /// The top-level <c>end_user</c>, <c>consignee</c>, <c>to</c> and <c>license</c> strings of <paramref name="request"/>
    /// (JSON), as the migration's json_extract reads them; nested objects are skipped unread.
    /// </summary>
    public static ShipmentParties Read(string request)
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

    private static ShipmentParties ReadJson(string request)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(request));
        string? endUser = null, consignee = null, to = null, license = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return new ShipmentParties(null, null, "", null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case "end_user": endUser = reader.GetString(); break;
                case "consignee": consignee = reader.GetString(); break;
                case "to": to = reader.GetString(); break;
                case "license": license = reader.GetString(); break;
            }
        }

        return new ShipmentParties(endUser, consignee, to ?? "", license);
    }
}
