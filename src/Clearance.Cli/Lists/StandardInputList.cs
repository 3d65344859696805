using Clearance.Store;

namespace Clearance.Cli.Lists;

/// <summary>
/// A list file piped to <c>clearance lists import -</c>, copied to a directory of its own: the parsers read files (an
/// import is hashed and parsed before anything is written), and the file's name carries its source date, so the name
/// given with <c>--filename</c> is the copy's name, as the HTTP API's <c>filename</c> parameter is the upload's.
/// </summary>
internal sealed class StandardInputList : IDisposable
{
    private readonly DirectoryInfo _directory;

    private StandardInputList(DirectoryInfo directory, string path, string shown)
    {
        _directory = directory;
        Path = path;
        Shown = shown;
    }

    /// <summary>Where the copy is.</summary>
    public string Path { get; }

    /// <summary>How messages name it: <c>sdn_2024-05-03.csv (standard input)</c>, never the temporary path.</summary>
    public string Shown { get; }

    /// <summary>
    /// Copies <paramref name="input"/>, at most <see cref="ListSource.MaxFileBytes"/> (an endless pipe must end with an
    /// error, not fill the disk), under <paramref name="fileName"/> or <c>stdin</c>; null with the error written.
    /// </summary>
    public static StandardInputList? Copy(Stream input, string? fileName, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(error);
        if (fileName is not null && (fileName.Length == 0 || fileName is "." or ".." || fileName != System.IO.Path.GetFileName(fileName)
            || fileName.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0))
        {
            error.WriteLine($"error: --filename: '{TerminalText.Visible(fileName)}' is not a plain file name (no directories), e.g. sdn_2024-05-03.csv");
            return null;
        }

        var directory = Directory.CreateTempSubdirectory("clearance-stdin-");
        var path = System.IO.Path.Combine(directory.FullName, fileName ?? "stdin");
        long copied = 0;
        using (var file = File.Create(path))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                copied += read;
                if (copied > ListSource.MaxFileBytes)
                {
                    file.Dispose();
                    directory.Delete(recursive: true);
                    error.WriteLine($"error: PATH: standard input holds more than {ListSource.MaxFileBytes >> 30} GiB, the most a list file may: nothing imported");
                    return null;
                }

                file.Write(buffer, 0, read);
            }
        }

        return new StandardInputList(directory, path, $"{fileName ?? "-"} (standard input)");
    }

    /// <summary><paramref name="message"/> with the copy's path replaced by <see cref="Shown"/>.</summary>
    public string Named(string message) => message.Replace(Path, Shown, StringComparison.Ordinal);

    /// <inheritdoc/>
    public void Dispose() => _directory.Delete(recursive: true);
}
