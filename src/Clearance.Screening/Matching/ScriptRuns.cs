using System.Text;

namespace Clearance.Screening.Matching;

/// <summary>Runs of characters of one script in a name, each spelled by a reader (<see cref="KanaPhonetics"/>, <see cref="HangulPhonetics"/>).</summary>
internal static class ScriptRuns
{
    /// <summary>Spells one run of characters of the script.</summary>
    public delegate string RunSpeller(ReadOnlySpan<char> run);

    /// <summary>True when the text holds a character of the script.</summary>
    public static bool Any(string text, Func<char, bool> inScript)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (inScript(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with every run of the script spelled (between spaces), word breaks as spaces, other characters kept.</summary>
    public static string Spell(string text, Func<char, bool> inScript, RunSpeller spell, Func<char, bool>? wordBreak = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length * 3);
        for (int i = 0; i < text.Length;)
        {
            if (wordBreak?.Invoke(text[i]) == true)
            {
                result.Append(' ');
                i++;
                continue;
            }

            if (!inScript(text[i]))
            {
                result.Append(text[i]);
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && inScript(text[i]))
            {
                i++;
            }

            result.Append(' ').Append(spell(text.AsSpan(start, i - start))).Append(' ');
        }

        return result.ToString();
    }
}
