using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using NodaTime;

namespace Clearance.Screening.Matching;

/// <summary>
/// Snapshots: the index written to a file and read back without normalising or indexing anything, so that a
/// process that screens a few names does not rebuild the index of every list.
/// </summary>
/// <remarks>
/// Layout (little-endian): the magic <c>CLRSIDX\0</c>, the format version, the identity of the code that wrote it
/// (the module version id of this assembly: any change to normalisation or indexing makes older snapshots stale),
/// the caller's key (which list versions it holds), the payload, and an XxHash3 (64-bit) of everything before it.
/// The payload holds the list versions the index was built from (<see cref="ScreenedAgainst"/>), the entries (each decoded on first use), the name sources (each normalised again on first
/// use: normalisation is deterministic for the same code), the per-name numbers the candidate bound needs, the parties
/// (<see cref="SameParty"/>: each entry's party and each party's entries, gravest listing first), and the token,
/// joined-name, phonetic and original-script postings.
/// </remarks>
public sealed partial class ScreeningIndex
{
    // 4: arrays of numbers aligned to their element's size, so that a mapped snapshot's tables are read in place.
    // 5: the checksum is XxHash3 rather than XxHash64: every load hashes the whole file (13 MB for the OFAC and METI
    // lists), and XxHash3's vectorised rounds take a fraction of XxHash64's time for the same detection of damage.
    private const int SnapshotFormat = 5;
    private static ReadOnlySpan<byte> SnapshotMagic => "CLRSIDX\0"u8;

    private static readonly Guid CodeIdentity = typeof(ScreeningIndex).Assembly.ManifestModule.ModuleVersionId;

    /// <summary>Writes the index to <paramref name="destination"/>, tagged with <paramref name="key"/>.</summary>
    /// <param name="destination">A writable stream.</param>
    /// <param name="key">What the index was built from (e.g. the list versions); <see cref="Load(byte[], string)"/> checks it.</param>
    public void Save(Stream destination, string key)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(key);
        using var buffer = new MemoryStream();
        var writer = new SnapshotWriter(buffer);
        writer.WriteBytes(SnapshotMagic);
        writer.WriteInt(SnapshotFormat);
        writer.WriteBytes(CodeIdentity.ToByteArray());
        writer.WriteString(key);

        writer.WriteStrings(_listIds);
        writer.WriteCount(_screenedAgainst.Count);
        foreach (ScreenedList list in _screenedAgainst)
        {
            writer.WriteString(list.ListId);
            writer.WriteInt(list.Version ?? -1);
            writer.WriteInt(DateNumber(list.SourceDate));
        }

        writer.WriteCount(_entityKinds.Length);
        writer.WriteBytes([.. _entityKinds.Select(k => (byte)k)]);
        EntityRecords.Write(writer, [.. Enumerable.Range(0, _entityKinds.Length).Select(Entity)], _listIds);
        writer.WriteStrings(_nameSources);
        writer.WriteInts(_nameEntity);
        writer.WriteFlags(_nameWeak);
        writer.WriteFlags(_nameHasInitial);
        writer.WriteFloats(_nameMaxWeight);
        writer.WriteFloats(_nameTotalWeight);
        writer.WriteFloats(_nameLeftoverWeight);
        writer.WriteInts(_parties.PartyOf);
        writer.WriteInts(_parties.Starts);
        writer.WriteInts(_parties.Members);
        _tokens.Write(writer);
        _joined.Write(writer);
        _phoneticTokens.Write(writer);
        _originalNames.Write(writer);
        writer.Flush();

        byte[] content = buffer.GetBuffer();
        int length = (int)buffer.Length;
        destination.Write(content, 0, length);
        destination.Write(BitConverter.GetBytes(XxHash3.HashToUInt64(content.AsSpan(0, length))));
    }

    /// <summary>
    /// Reads a snapshot written by <see cref="Save"/>. Returns null when it is stale: written for another key or by
    /// another build of the screening code.
    /// </summary>
    /// <param name="snapshot">The whole snapshot file.</param>
    /// <param name="key">The key the caller expects (e.g. the active list versions).</param>
    /// <exception cref="InvalidDataException">The snapshot is damaged (truncated, altered, not a snapshot).</exception>
    public static ScreeningIndex? Load(byte[] snapshot, string key)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Load(snapshot.AsSpan(), key);
    }

    /// <summary>
    /// Reads the snapshot file <paramref name="path"/> as <see cref="Load(byte[], string)"/> does, mapped into memory
    /// rather than read into an array, and keeps the mapping for the index's tables: the postings and gram buckets, the
    /// entries' records and the name sources are read in place from the file's pages in the page cache, not copied. A short
    /// process that opens the index (a recheck, a check) spent as much CPU reading the 13 MB file into fresh memory and
    /// hashing it as on all the rest of the load, and then a third of the load copying those tables: on this kind of
    /// machine the first touch of each new page of memory is the dear part. The mapping is released when the index is
    /// no longer reachable.
    /// </summary>
    /// <param name="path">The snapshot file (replaced only by renaming a new file over it, never written in place).</param>
    /// <param name="key">The key the caller expects.</param>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when there is none).</exception>
    /// <exception cref="InvalidDataException">The snapshot is damaged.</exception>
    public static ScreeningIndex? LoadFile(string path, string key)
    {
        SnapshotMapping mapping;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            long length = file.Length;
            if (length == 0)
            {
                return Load([], key); // a file of nothing cannot be mapped, and is no snapshot
            }

            if (length > int.MaxValue)
            {
                throw new IOException($"the screening index {path} is too large ({length} bytes)");
            }

            mapping = SnapshotMapping.Map(file);
        }

        ScreeningIndex? index = null;
        try
        {
            index = Load(mapping.Bytes, key, mapping);
            return index;
        }
        finally
        {
            if (index is null)
            {
                mapping.Unmap(); // stale or damaged: nothing reads it
            }
        }
    }

    /// <summary>Reads a snapshot from <paramref name="snapshot"/>, which is <paramref name="mapping"/> when not null (tables then read in place).</summary>
    private static ScreeningIndex? Load(ReadOnlySpan<byte> snapshot, string key, SnapshotMapping? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (snapshot.Length < SnapshotMagic.Length + 8 || !snapshot[..SnapshotMagic.Length].SequenceEqual(SnapshotMagic))
        {
            throw SnapshotReader.Corrupt("not a screening index snapshot");
        }

        int end = snapshot.Length - 8;
        if (XxHash3.HashToUInt64(snapshot[..end]) != BinaryPrimitives.ReadUInt64LittleEndian(snapshot[end..]))
        {
            throw SnapshotReader.Corrupt("checksum mismatch");
        }

        var reader = new SnapshotReader(snapshot, SnapshotMagic.Length, end, mapping);
        if (reader.ReadInt() != SnapshotFormat || new Guid(reader.ReadBytes(16)) != CodeIdentity || reader.ReadString() != key)
        {
            return null;
        }

        string[] listIds = reader.ReadStrings();
        var screenedAgainst = new ScreenedList[reader.ReadCount()];
        for (int i = 0; i < screenedAgainst.Length; i++)
        {
            string listId = reader.ReadString();
            int version = reader.ReadInt();
            screenedAgainst[i] = new ScreenedList(listId, version < 0 ? null : version, DateOf(reader.ReadInt()));
        }

        int entityCount = reader.ReadCount();
        var kinds = new EntityKind[entityCount];
        ReadOnlySpan<byte> kindBytes = reader.ReadBytes(entityCount);
        for (int e = 0; e < entityCount; e++)
        {
            kinds[e] = kindBytes[e] <= (byte)EntityKind.Aircraft ? (EntityKind)kindBytes[e] : throw SnapshotReader.Corrupt("bad entity kind");
        }

        EntityRecords records = EntityRecords.Read(ref reader, listIds, kinds);
        SnapshotStrings nameSources = reader.ReadStringTable();
        int names = nameSources.Count;
        int[] nameEntity = reader.ReadInts();
        bool[] nameWeak = reader.ReadFlags();
        bool[] nameHasInitial = reader.ReadFlags();
        float[] nameMaxWeight = reader.ReadFloats();
        float[] nameTotalWeight = reader.ReadFloats();
        float[] nameLeftoverWeight = reader.ReadFloats();
        if (nameEntity.Length != names || nameWeak.Length != names || nameHasInitial.Length != names
            || nameMaxWeight.Length != names || nameTotalWeight.Length != names || nameLeftoverWeight.Length != names)
        {
            throw SnapshotReader.Corrupt("name tables differ in length");
        }

        SnapshotReader.CheckRange(nameEntity, entityCount);
        int[] partyOf = reader.ReadInts();
        if (partyOf.Length != entityCount)
        {
            throw SnapshotReader.Corrupt("party table differs in length");
        }

        SameParty parties = SameParty.Read(partyOf, reader.ReadInts(), reader.ReadInts());
        FuzzyKeyIndex tokens = FuzzyKeyIndex.Read(ref reader, names);
        FuzzyKeyIndex joined = FuzzyKeyIndex.Read(ref reader, names);
        KeyedPostings phonetic = KeyedPostings.Read(ref reader, tokens.KeyCount);
        KeyedPostings original = KeyedPostings.Read(ref reader, names);
        if (reader.Position != end)
        {
            throw SnapshotReader.Corrupt("trailing data");
        }

        return new ScreeningIndex(
            kinds, new ListEntity?[entityCount], records, listIds, nameSources, new IndexedName?[names], nameEntity, nameWeak,
            nameHasInitial, tokens, joined, phonetic, original, screenedAgainst, parties, nameMaxWeight, nameTotalWeight, nameLeftoverWeight);
    }

    /// <summary>A date as yyyymmdd, 0 for none.</summary>
    internal static int DateNumber(LocalDate? date) => date is { } d ? (d.Year * 10_000) + (d.Month * 100) + d.Day : 0;

    /// <summary>The date of <see cref="DateNumber"/>.</summary>
    internal static LocalDate? DateOf(int number)
    {
        if (number == 0)
        {
            return null;
        }

        try
        {
            return new LocalDate(number / 10_000, number / 100 % 100, number % 100);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw SnapshotReader.Corrupt("bad date");
        }
    }
}

/// <summary>The list entries of a snapshot, each encoded on its own so that it can be decoded when first needed.</summary>
internal sealed class EntityRecords(SnapshotTable<byte> data, int[] starts, string[] listIds, EntityKind[] kinds)
{
    public static void Write(SnapshotWriter writer, IReadOnlyList<ListEntity> entities, string[] listIds)
    {
        var listIndex = listIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        using var records = new MemoryStream();
        var recordWriter = new SnapshotWriter(records);
        var starts = new int[entities.Count + 1];
        for (int e = 0; e < entities.Count; e++)
        {
            recordWriter.Flush();
            starts[e] = (int)records.Position;
            ListEntity entity = entities[e];
            recordWriter.WriteCount(listIndex[entity.ListId]);
            recordWriter.WriteString(entity.EntityId);
            recordWriter.WriteString(entity.PrimaryName);
            recordWriter.WriteCount(entity.Aliases.Count);
            foreach (EntityAlias alias in entity.Aliases)
            {
                recordWriter.WriteString(alias.Name);
                recordWriter.WriteByte((byte)alias.Strength);
            }

            recordWriter.WriteStrings(entity.Addresses);
            recordWriter.WriteStrings(entity.Countries);
            recordWriter.WriteStrings(entity.BirthDates);
            recordWriter.WriteCount(entity.Identifiers.Count);
            foreach (EntityIdentifier identifier in entity.Identifiers)
            {
                recordWriter.WriteString(identifier.Type);
                recordWriter.WriteString(identifier.Value);
                recordWriter.WriteNullableString(identifier.Country);
            }

            recordWriter.WriteStrings(entity.Programs);
            recordWriter.WriteNullableString(entity.Remarks);
            recordWriter.WriteInt(ScreeningIndex.DateNumber(entity.SourceDate));
            recordWriter.WriteByte(entity.Listing is null ? (byte)0 : (byte)1);
            if (entity.Listing is { } listing)
            {
                recordWriter.WriteStrings(listing.FederalRegisterNotices);
                recordWriter.WriteString(listing.LicenseRequirement);
                recordWriter.WriteString(listing.LicensePolicy);
            }
        }

        recordWriter.Flush();
        starts[entities.Count] = (int)records.Position;
        writer.WriteInts(starts);
        writer.WriteByteTable(records.GetBuffer().AsSpan(0, (int)records.Length));
    }

    /// <summary>Reads the record table; the records stay where they are (in place in a mapped snapshot), each decoded when first used.</summary>
    public static EntityRecords Read(ref SnapshotReader reader, string[] listIds, EntityKind[] kinds)
    {
        int[] starts = reader.ReadInts();
        SnapshotTable<byte> records = reader.ReadTable<byte>();
        SnapshotReader.CheckOffsets(starts, kinds.Length, records.Length);
        return new EntityRecords(records, starts, listIds, kinds);
    }

    public ListEntity Read(int e)
    {
        ListEntity entity = Decode(e);
        GC.KeepAlive(this); // the record may be in a mapped snapshot, which this keeps mapped
        return entity;
    }

    private ListEntity Decode(int e)
    {
        var reader = new SnapshotReader(data.Span, starts[e], starts[e + 1]);
        int list = reader.ReadCount();
        string listId = list < listIds.Length ? listIds[list] : throw SnapshotReader.Corrupt("bad list index");
        string entityId = reader.ReadString();
        string primaryName = reader.ReadString();
        var aliases = new EntityAlias[reader.ReadCount()];
        for (int i = 0; i < aliases.Length; i++)
        {
            aliases[i] = new EntityAlias(reader.ReadString(), reader.ReadByte() == 0 ? AliasStrength.Strong : AliasStrength.Weak);
        }

        string[] addresses = reader.ReadStrings();
        string[] countries = reader.ReadStrings();
        string[] birthDates = reader.ReadStrings();
        var identifiers = new EntityIdentifier[reader.ReadCount()];
        for (int i = 0; i < identifiers.Length; i++)
        {
            identifiers[i] = new EntityIdentifier(reader.ReadString(), reader.ReadString(), reader.ReadNullableString());
        }

        string[] programs = reader.ReadStrings();
        string? remarks = reader.ReadNullableString();
        LocalDate? sourceDate = ScreeningIndex.DateOf(reader.ReadInt());
        ExportListing? listing = reader.ReadByte() == 0 ? null : new ExportListing(reader.ReadStrings(), reader.ReadString(), reader.ReadString());
        return new ListEntity(
            listId, entityId, kinds[e], primaryName, aliases, addresses, countries, birthDates,
            identifiers, programs, remarks, sourceDate)
        { Listing = listing };
    }
}
