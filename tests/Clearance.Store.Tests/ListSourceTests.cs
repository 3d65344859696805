using Clearance.Screening.Lists;

namespace Clearance.Store.Tests;

public sealed class ListSourceTests
{
    [Fact]
    public void Hash_DeviceClaimingLengthZero_RefusedAtOnce()
    {
        var zeros = new EndlessStream(0, 64 << 20, announcedLength: 0);

        var e = Assert.Throws<ListFormatException>(() => ListSource.Hash("/dev/zero", zeros, ListSource.MaxFileBytes));

        Assert.StartsWith("/dev/zero: more bytes than the file's size of 0: not a regular file", e.Message, StringComparison.Ordinal);
        Assert.True(zeros.BytesRead <= 1 << 16);
    }

    [Fact]
    public void Hash_EndlessPipe_RefusedAtTheLimit()
    {
        var pipe = new EndlessStream((byte)'a', 64 << 20);

        var e = Assert.Throws<ListFormatException>(() => ListSource.Hash("pipe", pipe, 1 << 20));

        Assert.Contains("larger than the maximum list file size of 1,048,576 bytes", e.Message, StringComparison.Ordinal);
        Assert.True(pipe.BytesRead <= (1 << 20) + (1 << 16));
    }

    [Fact]
    public void Hash_RegularFile_SameAsWholeFileHash()
    {
        var path = SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml");
        using var stream = File.OpenRead(path);

        var file = ListSource.Hash(path, stream, ListSource.MaxFileBytes);

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), file.Sha256);
        Assert.Equal(new FileInfo(path).Length, file.Bytes);
    }
}
