using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Clearance.Cli;

/// <summary>
/// Text from data (list files, input files, the command line) made safe for a terminal table: control characters
/// (ESC and the other C0 and C1 codes, DEL) and the bidirectional overrides, which could rewrite or disguise what
/// the screen shows, become visible escapes such as <c>\u001b</c>; then Spectre markup is escaped. In markup a line
/// feed stays a line break (a multi-line cell): it moves to the next line and can neither rewrite nor hide text.
/// </summary>
public static class TerminalText
{
    /// <summary>The text with control characters other than line feeds escaped, ready for Spectre markup.</summary>
    /// <param name="text">Text from data.</param>
    public static string Markup(string text) => Spectre.Console.Markup.Escape(Visible(text, keepLineFeeds: true));

    /// <summary>The text with control characters (line feeds too) and bidi overrides replaced by <c>\uXXXX</c>.</summary>
    /// <param name="text">Text from data.</param>
    public static string Visible(string text) => Visible(text, keepLineFeeds: false);

    private static string Visible(string text, bool keepLineFeeds)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Hidden))
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (Hidden.Contains(c) && !(keepLineFeeds && c == '\n'))
            {
                visible.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                visible.Append(c);
            }
        }

        return visible.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Hidden = System.Buffers.SearchValues.Create(HiddenCharacters());

    private static string HiddenCharacters()
    {
        var hidden = new StringBuilder();
        for (char c = '\0'; c < '\u00A0'; c++)
        {
            if (char.IsControl(c))
            {
                hidden.Append(c);
            }
        }

        // Bidirectional embeddings, overrides and isolates.
        hidden.Append("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
        return hidden.ToString();
    }
}
