using Clearance.Screening;
using Clearance.Screening.Lists;

namespace Clearance.Application;

/// <summary>
/// Loads list files named on the command line as FORMAT:PATH[,PATH...] (for ofac-csv the primary file
/// first, then its add/alt/comments companions).
/// </summary>
public static class ListSpecs
{
    /// <summary>The entries of every FORMAT:PATH[,PATH...] spec.</summary>
    public static List<ListEntity> Load(IEnumerable<string> specs)
    {
        var entities = new List<ListEntity>();
        foreach (string spec in specs)
        {
            int colon = spec.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == spec.Length - 1)
            {
                throw new ScreenInputException(
                    $"--list '{spec}': expected FORMAT:PATH[,PATH...], FORMAT one of {string.Join(", ", ListFiles.Formats)}");
            }

            string format = spec[..colon];
            string[] paths = spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (string path in paths)
            {
                if (!File.Exists(path))
                {
                    throw new ScreenInputException($"--list '{spec}': file not found: {path}");
                }
            }

            try
            {
                entities.AddRange(ListFiles.ParseAny(format, paths));
            }
            catch (ArgumentException e)
            {
                throw new ScreenInputException($"--list '{spec}': {e.Message}");
            }
        }

        return entities;
    }
}
