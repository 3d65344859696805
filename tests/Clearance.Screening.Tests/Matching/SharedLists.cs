namespace Clearance.Screening.Tests.Matching;

/// <summary>Finds ../shared/lists by walking up from the test's base directory.</summary>
internal static class SharedLists
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared", "lists");
            if (Directory.Exists(candidate))
            {
                return System.IO.Path.Combine([candidate, .. parts]);
            }
        }

        throw new DirectoryNotFoundException("No shared/lists above " + AppContext.BaseDirectory);
    }

    /// <summary>Splits one CSV line with double-quoted fields.</summary>
    public static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
