namespace Clearance.Screening.Matching;

/// <summary>
/// The parties of an index: list entries that are the same party on several lists, grouped, so that screening returns
/// one match per party carrying every listing (<see cref="ScreeningMatch.Listings"/>). Two entries are one party when
/// <list type="bullet">
/// <item>they share an identifier (passport, registration, IMO, SWIFT/BIC number...; not a website, e-mail address or
/// telephone number, which related companies share) that no two entries of one list share, and their kinds agree; or</item>
/// <item>one list copies the other entry by entry (<see cref="Copies"/>: the Consolidated Screening List's SDN section
/// and the SDN List, its Denied Persons section and the Denied Persons List...) and they have the same primary name
/// (normalised), kinds that agree, birth dates that agree where both give some and countries that agree where both give
/// some, and neither has another such entry on the other list (two listed people of one name stay apart).</item>
/// </list>
/// Grouping is done once when the index is built and kept in its snapshot; a query only keeps the best-scoring entry of
/// each party, which costs nothing measurable.
/// </summary>
internal sealed class SameParty
{
    /// <summary>Lists that copy another list entry by entry: (copy, original).</summary>
    internal static readonly (string Copy, string Original)[] Copies =
    [
        ("csl-sdn", "ofac-sdn"), ("csl-dpl", "bis-dpl"), ("csl-ssi", "ofac-nonsdn"), ("csl-cmic", "ofac-nonsdn"), ("csl-ns-mbs", "ofac-nonsdn"), ("csl-cap", "ofac-nonsdn"),
        ("csl-plc", "ofac-nonsdn"),
    ];

    private static readonly string[] WeakIdentifierTypes = ["website", "web site", "email", "e-mail", "phone", "fax", "address", "url"];

    private const int MinIdentifierLength = 6;

    private SameParty(int[] partyOf, int[] starts, int[] members)
    {
        PartyOf = partyOf;
        Starts = starts;
        Members = members;
        HasShared = starts.Length - 1 < partyOf.Length;
    }

    /// <summary>The party of each entry.</summary>
    public int[] PartyOf { get; }

    /// <summary>Where each party's entries start in <see cref="Members"/> (one more element than there are parties).</summary>
    public int[] Starts { get; }

    /// <summary>The entries of every party in turn, each party's gravest listing first (<see cref="ListConsequences.Compare"/>).</summary>
    public int[] Members { get; }

    /// <summary>True when at least one party has more than one entry.</summary>
    public bool HasShared { get; }

    /// <summary>The entries of party <paramref name="party"/>, gravest listing first.</summary>
    public ReadOnlySpan<int> Of(int party) => Members.AsSpan(Starts[party], Starts[party + 1] - Starts[party]);

    /// <summary>Parties read back from a snapshot, checked.</summary>
    public static SameParty Read(int[] partyOf, int[] starts, int[] members)
    {
        if (starts.Length == 0)
        {
            throw SnapshotReader.Corrupt("no party offsets");
        }

        SnapshotReader.CheckOffsets(starts, starts.Length - 1, members.Length);
        SnapshotReader.CheckRange(members, partyOf.Length);
        SnapshotReader.CheckRange(partyOf, starts.Length - 1);
        if (members.Length != partyOf.Length)
        {
            throw SnapshotReader.Corrupt("party tables differ in length");
        }

        return new SameParty(partyOf, starts, members);
    }

    /// <summary>Groups <paramref name="entries"/> into parties.</summary>
    /// <param name="entries">The entries of the index.</param>
    /// <param name="nameKeys">Each entry's primary name, normalised (its tokens joined by spaces); null when it has none.</param>
    public static SameParty Group(IReadOnlyList<ListEntity> entries, IReadOnlyList<string?> nameKeys)
    {
        // Plain loops, not LINQ over ints: a recheck groups the few changed entries of its small index in a short process,
        // where each LINQ instantiation over a value type was compiled at run time.
        var parent = new int[entries.Count];
        for (int e = 0; e < parent.Length; e++)
        {
            parent[e] = e;
        }

        ByIdentifier(entries, parent);
        ByCopiedName(entries, nameKeys, parent);

        var parties = new Dictionary<int, List<int>>();
        var byFirstEntry = new List<List<int>>(); // the parties in the order of their first entry
        for (int e = 0; e < entries.Count; e++)
        {
            int root = Find(parent, e);
            if (!parties.TryGetValue(root, out var members))
            {
                parties[root] = members = [];
                byFirstEntry.Add(members);
            }

            members.Add(e);
        }

        var partyOf = new int[entries.Count];
        var starts = new List<int>(parties.Count + 1);
        var order = new List<int>(entries.Count);
        foreach (List<int> members in byFirstEntry)
        {
            members.Sort((a, b) =>
            {
                int byList = ListConsequences.Compare(entries[a].ListId, entries[b].ListId);
                return byList != 0 ? byList : string.CompareOrdinal(entries[a].EntityId, entries[b].EntityId);
            });
            starts.Add(order.Count);
            foreach (int e in members)
            {
                partyOf[e] = starts.Count - 1;
            }

            order.AddRange(members);
        }

        starts.Add(order.Count);
        return new SameParty(partyOf, [.. starts], [.. order]);
    }

    private static void ByIdentifier(IReadOnlyList<ListEntity> entries, int[] parent)
    {
        var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int e = 0; e < entries.Count; e++)
        {
            foreach (EntityIdentifier identifier in entries[e].Identifiers)
            {
                if (IdentifierKey(identifier) is not { } key)
                {
                    continue;
                }

                if (!holders.TryGetValue(key, out var list))
                {
                    holders[key] = list = [];
                }

                if (list.Count == 0 || list[^1] != e)
                {
                    list.Add(e);
                }
            }
        }

        foreach (List<int> holding in holders.Values)
        {
            // An identifier two entries of one list share (a parent's registration number given for its branches) names no one party.
            if (holding.Count < 2 || ListHoldsTwo(entries, holding))
            {
                continue;
            }

            for (int k = 1; k < holding.Count; k++)
            {
                if (KindsAgree(entries[holding[0]].Kind, entries[holding[k]].Kind))
                {
                    Union(parent, holding[0], holding[k]);
                }
            }
        }
    }

    /// <summary>Whether two of <paramref name="holding"/> are entries of one list.</summary>
    private static bool ListHoldsTwo(IReadOnlyList<ListEntity> entries, List<int> holding)
    {
        var lists = new HashSet<string>(StringComparer.Ordinal);
        foreach (int e in holding)
        {
            if (!lists.Add(entries[e].ListId))
            {
                return true;
            }
        }

        return false;
    }

    private static void ByCopiedName(IReadOnlyList<ListEntity> entries, IReadOnlyList<string?> nameKeys, int[] parent)
    {
        var byList = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int e = 0; e < entries.Count; e++)
        {
            if (!byList.TryGetValue(entries[e].ListId, out var list))
            {
                byList[entries[e].ListId] = list = [];
            }

            list.Add(e);
        }

        foreach ((string copy, string original) in Copies)
        {
            if (!byList.TryGetValue(copy, out var copies) || !byList.TryGetValue(original, out var originals))
            {
                continue;
            }

            var originalsByName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (int o in originals)
            {
                if (nameKeys[o] is { } key)
                {
                    if (!originalsByName.TryGetValue(key, out var same))
                    {
                        originalsByName[key] = same = [];
                    }

                    same.Add(o);
                }
            }

            var chosen = new Dictionary<int, List<int>>();
            foreach (int c in copies)
            {
                if (nameKeys[c] is not { } key || !originalsByName.TryGetValue(key, out var sameName))
                {
                    continue;
                }

                int only = -1;
                int count = 0;
                foreach (int o in sameName)
                {
                    if (Agree(entries[c], entries[o]))
                    {
                        only = o;
                        count++;
                    }
                }

                if (count == 1)
                {
                    if (!chosen.TryGetValue(only, out var by))
                    {
                        chosen[only] = by = [];
                    }

                    by.Add(c);
                }
            }

            foreach ((int o, List<int> by) in chosen)
            {
                if (by.Count == 1)
                {
                    Union(parent, o, by[0]);
                }
            }
        }
    }

    /// <summary>Kinds, birth dates and countries do not tell the two apart.</summary>
    private static bool Agree(ListEntity a, ListEntity b) =>
        KindsAgree(a.Kind, b.Kind)
        && (a.BirthDates.Count == 0 || b.BirthDates.Count == 0 || a.BirthDates.Any(x => b.BirthDates.Any(y => SameDate(x, y))))
        && (a.Countries.Count == 0 || b.Countries.Count == 0 || a.Countries.Intersect(b.Countries, StringComparer.Ordinal).Any());

    /// <summary>Partial dates agree when one is a prefix of the other ("1968" and "1968-03-26").</summary>
    private static bool SameDate(string a, string b) =>
        a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);

    private static bool KindsAgree(EntityKind a, EntityKind b) => a == b || a == EntityKind.Unknown || b == EntityKind.Unknown;

    /// <summary>The identifier's value in capital letters and digits, or null for a weak or too short one.</summary>
    private static string? IdentifierKey(EntityIdentifier identifier)
    {
        foreach (string weak in WeakIdentifierTypes)
        {
            if (identifier.Type.Contains(weak, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        var key = new System.Text.StringBuilder(identifier.Value.Length);
        foreach (char c in identifier.Value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                key.Append(char.ToUpperInvariant(c));
            }
        }

        return key.Length >= MinIdentifierLength ? key.ToString() : null;
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }

        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a);
        int rb = Find(parent, b);
        if (ra != rb)
        {
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }
}
