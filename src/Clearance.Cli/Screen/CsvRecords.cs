using System.Text;

namespace Clearance.Cli.Screen;

/// <summary>Reads RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) record by record.</summary>
internal static class CsvRecords
{
    /// <summary>The records of a CSV text, each with the line number it starts on.</summary>
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        bool quoted = false;
        bool any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            char ch = (char)c;
            any = true;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (recordLine, fields.ToArray());
                    fields.Clear();
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"{source}: line {recordLine}: unterminated quoted field");
        }

        if (any)
        {
            fields.Add(field.ToString());
            yield return (recordLine, fields.ToArray());
        }
    }
}
