namespace Clearance.Screening.Lists;

/// <summary>
/// A list file that cannot be read: wrong layout, wrong encoding, truncated, hostile.
/// The message names the file, the line and, when known, the field.
/// </summary>
public sealed class ListFormatException : Exception
{
    /// <summary>Creates the exception for a problem at a place in a file.</summary>
    /// <param name="file">The file being read.</param>
    /// <param name="line">1-based line where the problem is (0 when the file as a whole is wrong).</param>
    /// <param name="field">The column, element or property concerned, when known.</param>
    /// <param name="problem">What is wrong, in words an operator can act on.</param>
    /// <param name="inner">The underlying exception, when there is one.</param>
    public ListFormatException(string file, long line, string? field, string problem, Exception? inner = null)
        : base(Compose(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file being read.</summary>
    public string File { get; }

    /// <summary>1-based line of the problem; 0 when it concerns the whole file.</summary>
    public long Line { get; }

    /// <summary>The column, element or property concerned, when known.</summary>
    public string? Field { get; }

    /// <summary>The problem without the location prefix.</summary>
    public string Problem { get; }

    private static string Compose(string file, long line, string? field, string problem)
    {
        var where = line > 0 ? $"{file}:{line}" : file;
        // The field may come from the input (a header cell, an element name): shortened, as every quote of input is.
        return field is null ? $"{where}: {problem}" : $"{where}: field '{StrictText.Shorten(field)}': {problem}";
    }
}
