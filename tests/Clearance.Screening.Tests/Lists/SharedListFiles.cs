namespace Clearance.Screening.Tests.Lists;

/// <summary>Finds ../shared/lists by walking up from the test's base directory (the files are read in place, never copied).</summary>
internal static class SharedListFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "lists");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"no shared/lists folder above {AppContext.BaseDirectory}");
    });

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}

/// <summary>A scratch directory for hostile or hand-made files, removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(FullName);

    public string FullName { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clearance-tests-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string content, System.Text.Encoding? encoding = null)
    {
        var path = System.IO.Path.Combine(FullName, name);
        File.WriteAllText(path, content, encoding ?? new System.Text.UTF8Encoding(false));
        return path;
    }

    public string WriteBytes(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(FullName, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(FullName, recursive: true);
}

/// <summary>
/// A stream of one byte repeated without end; throws past <paramref name="bound"/> bytes so a test cannot hang. With
/// <paramref name="announcedLength"/> it is seekable and claims that length, as /dev/zero does (0).
/// </summary>
internal sealed class EndlessStream(byte value, long bound, long? announcedLength = null) : Stream
{
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (BytesRead > bound)
            throw new InvalidOperationException($"read more than {bound} bytes of an endless stream");
        buffer.AsSpan(offset, count).Fill(value);
        BytesRead += count;
        return count;
    }

    public override bool CanRead => true;
    public override bool CanSeek => announcedLength is not null;
    public override bool CanWrite => false;
    public override long Length => announcedLength ?? throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
