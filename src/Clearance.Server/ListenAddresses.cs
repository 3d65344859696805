using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Clearance.Server;

/// <summary>
/// The check of <c>--urls</c> (<see cref="ServerSettings.Urls"/>) before anything starts. Kestrel finds a malformed
/// address only while it binds, after the database is open, and reports it as an exception with a stack trace (exit 70);
/// worse, it reads some typos as other addresses: <c>http://:abc</c> listened on every interface, port 80, and an empty
/// value on localhost:5000. Here an address is refused unless it has the form Kestrel documents (http:// or https://, a
/// host, an optional port and nothing after it; or a Unix socket, http://unix:/PATH). The CLI checks
/// its option with this (a usage error, exit 1, in the JIT and the native CLI alike) and
/// <see cref="ClearanceServer.Build"/> checks the value it will use (also one from configuration), so the two cannot differ.
/// Dependency-free (no Kestrel types): the native CLI, which holds no server, calls it too.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The form to give, in every message.</summary>
    private const string Form = "give http://HOST:PORT, e.g. " + ServerSettings.DefaultUrls;

    /// <summary>
    /// Why <paramref name="urls"/> (addresses separated by ';') is not a value to listen on, quoting the address at
    /// fault (at most 200 characters of it); null when every address is one.
    /// </summary>
    public static string? Problem(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var addresses = Split(urls);
        if (addresses.Count == 0)
            return $"'{Quoted(urls)}' holds no address; {Form} (several separated by ';')";
        return addresses.Select(ProblemOf).FirstOrDefault(problem => problem is not null);
    }

    /// <summary>The addresses of <paramref name="urls"/>, as Kestrel is given them.</summary>
    public static IReadOnlyList<string> Split(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string? ProblemOf(string address)
    {
        var quoted = Quoted(address);
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            return $"'{quoted}' is not an address to listen on; {Form}";
        var scheme = address[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
            return $"'{quoted}' is not an http:// or https:// address; {Form}";

        var rest = address[(schemeEnd + 3)..];
        // Kestrel's Unix domain socket: http://unix:/run/clearance.sock.
        if (rest.StartsWith("unix:/", StringComparison.OrdinalIgnoreCase))
            return rest.Length > "unix:/".Length ? null : $"'{quoted}' names no socket file; give http://unix:/PATH";
        if (rest.EndsWith('/'))
            rest = rest[..^1];
        if (rest.IndexOfAny(['/', '?', '#']) >= 0)
            return $"'{quoted}' has a path, which Kestrel does not take; {Form}";

        string host;
        string? port = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? "" : rest[1..close];
            var after = close < 0 ? "" : rest[(close + 1)..];
            if (close < 0 || !IsIPv6(host) || (after.Length > 0 && after[0] != ':'))
                return $"'{quoted}' is not an address to listen on; {Form}";
            if (after.Length > 0)
                port = after[1..];
        }
        else
        {
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? rest : rest[..colon];
            if (colon >= 0)
                port = rest[(colon + 1)..];
            if (host.Length == 0 || !(host is "*" or "+" || IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns))
                return $"'{quoted}' has no host Kestrel can listen on; {Form}";
        }

        if (port is null)
            return null; // Kestrel's default: 80 for http, 443 for https
        if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, CultureInfo.InvariantCulture) > 65535)
            return $"'{quoted}': the port '{Quoted(port)}' is not a number from 0 to 65535; {Form}";
        // Kestrel cannot choose a free port for a name that means two addresses (127.0.0.1 and [::1]).
        if (int.Parse(port, CultureInfo.InvariantCulture) == 0 && host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return $"'{quoted}': port 0 (any free port) needs an IP address, such as http://127.0.0.1:0";
        return null;
    }

    private static bool IsIPv6(string host) => IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>At most 200 characters of a bad value, so an error stays one readable line.</summary>
    private static string Quoted(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
