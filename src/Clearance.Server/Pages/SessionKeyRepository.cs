using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Clearance.Server;

/// <summary>
/// Keeps the keys that protect session cookies and antiforgery tokens in the database, not on one machine's disk, so
/// that every server of the database reads the cookies the others made (and a restart does not sign everyone out).
/// </summary>
internal sealed class SessionKeyRepository(Backend backend) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => [.. backend.Keys.SessionKeys().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName) => backend.Keys.AddSessionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
