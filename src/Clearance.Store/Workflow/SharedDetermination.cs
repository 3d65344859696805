using System.Security.Cryptography;
using System.Text;

namespace Clearance.Store;

/// <summary>
/// A determination cut into the line's own part and the part many lines share (<see cref="DeterminationSchema"/>), and
/// the shared part's key. The line's own part is the leading <c>"id"</c> member and, after it, an <c>"as_of"</c>
/// member, as the check result writes them; the shared part is everything after them. Any other text is not cut: all of
/// it is shared (still stored once, just not shared with other lines).
/// </summary>
internal static class SharedDetermination
{
    private const string IdMember = "{\"id\":";
    private const string AsOfMember = "\"as_of\":";

    /// <summary>Where the shared part of <paramref name="determination"/> starts.</summary>
    public static int SharedStart(string determination)
    {
        ArgumentNullException.ThrowIfNull(determination);
        return SharedStart(determination.AsSpan());
    }

    /// <summary>Where the shared part of <paramref name="determination"/> starts.</summary>
    public static int SharedStart(ReadOnlySpan<char> determination)
    {
        if (!determination.StartsWith(IdMember, StringComparison.Ordinal))
            return 0;
        var afterId = AfterStringMember(determination, IdMember.Length);
        if (afterId < 0)
            return 0;
        if (!determination[afterId..].StartsWith(AsOfMember, StringComparison.Ordinal))
            return afterId;
        var afterAsOf = AfterStringMember(determination, afterId + AsOfMember.Length);
        return afterAsOf < 0 ? afterId : afterAsOf;
    }

    /// <summary>The key of a shared part: SHA-256 of its UTF-8, lower-case hex.</summary>
    public static string Key(ReadOnlySpan<char> shared)
    {
        var length = Encoding.UTF8.GetMaxByteCount(shared.Length);
        var buffer = length <= 4096 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(shared, buffer);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..written], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// After a JSON string value at <paramref name="at"/> followed by a comma: the position after the comma, or -1 when
    /// the text is not that (a member that is not a string, or the last member: nothing would follow to share).
    /// </summary>
    private static int AfterStringMember(ReadOnlySpan<char> text, int at)
    {
        if (at >= text.Length || text[at] != '"')
            return -1;
        for (var i = at + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++; // the escaped character, never the string's end (a \uXXXX escape's digits are not quotes either)
                continue;
            }

            if (text[i] == '"')
                return i + 1 < text.Length && text[i + 1] == ',' ? i + 2 : -1;
        }

        return -1;
    }
}
