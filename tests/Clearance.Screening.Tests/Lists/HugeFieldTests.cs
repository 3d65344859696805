using System.Text;
using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

/// <summary>
/// Issue 7: a name over 166 MB (one field far beyond the 1 MiB limit) in every list format ends with a clear
/// <see cref="ListFormatException"/> after reading a few MiB, quoting at most 200 characters of it. The input is a
/// generated stream given to the parser through <see cref="ListText.Source"/>, so no 166 MB file is written.
/// </summary>
public sealed class HugeFieldTests
{
    /// <summary>The name's length: 166 MiB and a bit, as in the issue.</summary>
    private const long NameBytes = 166L << 20 | 12345;

    /// <summary>What a parser may read before it refuses: the field limit and its read-ahead, or OFAC's 64 MiB encoding sniff.</summary>
    private const long ReadBound = 16 << 20;

    private const long OfacReadBound = (64 << 20) + ReadBound;

    private const string CslHeader = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids";

    private const string BisHeader = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"";

    /// <summary>Format, file name, what comes before the name, what comes after it.</summary>
    public static TheoryData<string, string, string, string> Formats => new()
    {
        { "ofac-csv", "sdn.csv", "36,\"", "\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n" },
        { "csl-csv", "consolidated.csv", CslHeader + "\n1,Entity List (EL) - Bureau of Industry and Security,,Entity,,", "\n" },
        { "bis-dpl", "dpl.txt", BisHeader + "\n\"", "\"\t\"\"\t\"\"\t\"\"\t\"CN\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n" },
        { "ftm", "entities.ftm.json", "{\"id\": \"a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"", "\"]}}\n" },
        { "meti-eul", "eul.csv", "No.,Country or Region,Company or Organization,Also Known As,Type of WMD\n1,China,", ",,M\n" },
        { "un-xml", "un.xml", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>", "</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n" },
        { "eu-fsf", "eu.xml", "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"", "\"/></sanctionEntity></export>\n" },
        { "eu-fsf", "eu-text.xml", "<export><sanctionEntity logicalId=\"1\"><remark>", "</remark></sanctionEntity></export>\n" },
        { "uk-sanctions", "uk.xml", "<Designations><Designation><UniqueID>X</UniqueID><Names><Name><Name6>", "</Name6></Name></Names></Designation></Designations>\n" },
        { "csv", "own.csv", "id,name\n1,", "\n" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void ParseAny_NameOver166MB_ClearErrorAfterAFewMiBQuotingAtMost200Characters(string format, string name, string before, string after)
    {
        var path = Path.Combine(Path.GetTempPath(), "clearance-huge-" + Guid.NewGuid().ToString("N"), name); // never created
        var source = new GeneratedStream(Encoding.UTF8.GetBytes(before), (byte)'A', NameBytes, Encoding.UTF8.GetBytes(after));
        ListText.Source.Value = p => p == path ? source : null;
        ListFormatException e;
        try
        {
            e = Assert.Throws<ListFormatException>(() => ListFiles.ParseAny(format, [path]).ToList());
        }
        finally
        {
            ListText.Source.Value = null;
        }

        Assert.StartsWith(path + ":", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains("maximum", StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var longestQuote = e.Message.Split(' ', '\'', '"', '=', '>').Max(part => part.Length);
        Assert.True(longestQuote <= StrictText.MaxQuotedLength + 3, $"{longestQuote} characters quoted: {e.Message}");
        Assert.True(e.Message.Length < 600, e.Message);
        Assert.True(source.MostRead <= (format == "ofac-csv" ? OfacReadBound : ReadBound), $"read {source.MostRead:N0} bytes");
    }
}

/// <summary>
/// Markup the XML reader skips or streams (comments, processing instructions, CDATA), 200 MB of it with a '&lt;' every
/// other byte so that the run limit on bytes without '&lt;' never applies: still refused after a few MiB, never held whole.
/// </summary>
public sealed class HugeXmlMarkupTests
{
    private const long Bytes = 200L << 20;

    public static TheoryData<string, string, string> Cases => new()
    {
        { "comment", "<export><!-- ", " --><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A\"/></sanctionEntity></export>" },
        { "processing instruction", "<export><?pi ", " ?><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A\"/></sanctionEntity></export>" },
        { "CDATA outside records", "<export><![CDATA[", "]]><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A\"/></sanctionEntity></export>" },
        { "CDATA in a record", "<export><sanctionEntity logicalId=\"1\"><remark><![CDATA[", "]]></remark><nameAlias wholeName=\"A\"/></sanctionEntity></export>" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EuFsfParse_200MBOfSkippedMarkup_ErrorAfterAFewMiB(string what, string before, string after)
    {
        _ = what;
        var path = Path.Combine(Path.GetTempPath(), "clearance-huge-" + Guid.NewGuid().ToString("N"), "eu.xml"); // never created
        var source = new GeneratedStream(Encoding.UTF8.GetBytes(before), "x<"u8.ToArray(), Bytes, Encoding.UTF8.GetBytes(after));
        ListText.Source.Value = p => p == path ? source : null;
        try
        {
            var e = Assert.Throws<ListFormatException>(() => EuFsfXmlParser.Parse(path).ToList());

            Assert.True(e.Message.Length < 600, e.Message);
            Assert.True(source.MostRead <= 32 << 20, $"read {source.MostRead:N0} bytes: {e.Message}");
        }
        finally
        {
            ListText.Source.Value = null;
        }
    }
}

/// <summary>
/// A seekable stream of <c>before</c>, then <c>count</c> bytes of a pattern repeated, then <c>after</c>, generated as it
/// is read: a file of any size that takes no disk and no memory. <see cref="MostRead"/> is the furthest position read.
/// </summary>
internal sealed class GeneratedStream(byte[] before, byte[] pattern, long count, byte[] after) : Stream
{
    private long _position;

    /// <summary>The stream of <paramref name="before"/>, <paramref name="count"/> times <paramref name="filler"/>, <paramref name="after"/>.</summary>
    public GeneratedStream(byte[] before, byte filler, long count, byte[] after)
        : this(before, [filler], count, after)
    {
    }

    /// <summary>The furthest position any read reached.</summary>
    public long MostRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int length) => Read(buffer.AsSpan(offset, length));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < Length)
        {
            var target = buffer[written..];
            int n;
            if (_position < before.Length)
            {
                n = Math.Min(target.Length, before.Length - (int)_position);
                before.AsSpan((int)_position, n).CopyTo(target);
            }
            else if (_position < before.Length + count)
            {
                n = (int)Math.Min(target.Length, before.Length + count - _position);
                if (pattern.Length == 1)
                {
                    target[..n].Fill(pattern[0]);
                }
                else
                {
                    var offset = (_position - before.Length) % pattern.Length;
                    for (var i = 0; i < n; i++)
                        target[i] = pattern[(offset + i) % pattern.Length];
                }
            }
            else
            {
                var at = (int)(_position - before.Length - count);
                n = Math.Min(target.Length, after.Length - at);
                after.AsSpan(at, n).CopyTo(target);
            }
            written += n;
            _position += n;
        }
        MostRead = Math.Max(MostRead, _position);
        return written;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => before.Length + count + after.Length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
