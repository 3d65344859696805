using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>What an API key may do; each role may also do everything of the roles before it.</summary>
public enum ApiRole
{
    /// <summary>Reads: rules, lists, licences, shipments, audit.</summary>
    Viewer,

    /// <summary>Checks, screens and submits shipments.</summary>
    Operator,

    /// <summary>Releases, decides and manages licences.</summary>
    Officer,

    /// <summary>Manages keys and lists.</summary>
    Admin,
}

/// <summary>An API key as stored: never the key itself, only its SHA-256.</summary>
/// <param name="Name">The key's name, the actor of everything done with it.</param>
/// <param name="Role">What it may do.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, or null while it is valid.</param>
public sealed record ApiKeyRecord(string Name, ApiRole Role, Instant CreatedAt, Instant? RevokedAt);

/// <summary>A key just created: the only time the key itself is known.</summary>
/// <param name="Record">The stored record.</param>
/// <param name="Key">The key to hand to its user (<c>clr_</c>, the key's lookup id, <c>_</c>, 32 random bytes in base64url).</param>
public sealed record CreatedApiKey(ApiKeyRecord Record, string Key);

/// <summary>
/// API keys of the HTTP service. A key is <c>clr_ID_SECRET</c>: the id finds the row, and the SHA-256 of the whole key
/// is compared with the stored one in constant time, so neither the database nor a timing difference gives a key away.
/// Creating and revoking a key are audit records in the same transaction.
/// </summary>
public sealed class ApiKeyStore
{
    /// <summary>The role names on the wire and the command line, in <see cref="ApiRole"/> order.</summary>
    public static readonly IReadOnlyList<string> RoleNames = ["viewer", "operator", "officer", "admin"];

    private const string Prefix = "clr_";
    private readonly IDbProvider _provider;
    private readonly IClock _clock;
    private readonly AuditTrail _audit;

    /// <summary>Opens the store on <paramref name="provider"/>, bringing the schema up to date.</summary>
    public ApiKeyStore(IDbProvider provider, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _clock = clock ?? SystemClock.Instance;
        SchemaMigrations.Apply(provider, _clock);
        _audit = new AuditTrail(provider);
    }

    /// <summary>Opens the store at a location as <see cref="DatabaseLocation.Resolve"/> gives it.</summary>
    public static ApiKeyStore Open(string location) =>
        new(DatabaseLocation.Provider(location));

    /// <summary>The role's wire name.</summary>
    public static string Name(ApiRole role) => RoleNames[(int)role];

    /// <summary>The role named <paramref name="name"/> (any case), or null.</summary>
    public static ApiRole? ParseRole(string? name)
    {
        var index = name is null ? -1 : RoleNames.ToList().IndexOf(name.Trim().ToLowerInvariant());
        return index < 0 ? null : (ApiRole)index;
    }

    /// <summary>Creates a key named <paramref name="name"/>; the key itself is in the result and nowhere else.</summary>
    /// <exception cref="ListStoreException">The name is empty, too long, or taken (also by a revoked key: names stay unique in the audit trail).</exception>
    public CreatedApiKey Create(string name, ApiRole role, string actor)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
            throw new ListStoreException("a key name is 1 to 100 characters without control characters");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var now = _clock.GetCurrentInstant();
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        if (PlainCommand.Int64(connection, "SELECT COUNT(*) FROM api_keys WHERE name = @name", transaction, ("name", name)) > 0)
            throw new ListStoreException($"a key named '{name}' exists already (revoked keys keep their names); choose another name");
        PlainCommand.Execute(connection,
            "INSERT INTO api_keys (id, name, role, hash, created_at) VALUES (@id, @name, @role, @hash, @created)",
            transaction, ("id", id), ("name", name), ("role", Name(role)), ("hash", Hash(key)), ("created", InstantPattern.ExtendedIso.Format(now)));
        _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "key.create", name, Json(name, role), "{}"));
        transaction.Commit();
        return new CreatedApiKey(new ApiKeyRecord(name, role, now, null), key);
    }

    /// <summary>Every key, valid and revoked, by name.</summary>
    public IReadOnlyList<ApiKeyRecord> List()
    {
        using var connection = _provider.Open();
        return [.. PlainCommand.Query(connection, Row.Select + " ORDER BY name", null, Row.Read).Select(r => r.ToRecord())];
    }

    /// <summary>Revokes the key named <paramref name="name"/>; false when it was revoked already.</summary>
    /// <exception cref="ListStoreException">No key has that name.</exception>
    public bool Revoke(string name, string actor)
    {
        var now = _clock.GetCurrentInstant();
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        var row = PlainCommand.First(connection, Row.Select + " WHERE name = @name", transaction, Row.Read, ("name", name))
            ?? throw new ListStoreException($"no key named '{name}'");
        if (row.Revoked_At is not null)
            return false;
        PlainCommand.Execute(connection, "UPDATE api_keys SET revoked_at = @at WHERE name = @name", transaction, ("at", InstantPattern.ExtendedIso.Format(now)), ("name", name));
        _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "key.revoke", name, Json(name, row.ToRecord().Role), "{}"));
        transaction.Commit();
        return true;
    }

    /// <summary>The valid key that <paramref name="key"/> is, or null (unknown, malformed or revoked).</summary>
    public ApiKeyRecord? Authenticate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length > 200 || key.IndexOf('_', Prefix.Length) is not (var end and > 0))
            return null;
        var id = key[Prefix.Length..end];
        using var connection = _provider.Open();
        var row = PlainCommand.First(connection, Row.Select + " WHERE id = @id", null, Row.Read, ("id", id));
        if (row is null)
            return null;
        var matches = CryptographicOperations.FixedTimeEquals(Convert.FromHexString(row.Hash), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return matches && row.Revoked_At is null ? row.ToRecord() : null;
    }

    /// <summary>
    /// The data protection keys of the web sessions (XML elements as ASP.NET Core writes them), shared by every server
    /// of the database so that a session cookie made by one is read by the others.
    /// </summary>
    public IReadOnlyList<string> SessionKeys()
    {
        using var connection = _provider.Open();
        return PlainCommand.Query(connection, "SELECT xml FROM session_keys ORDER BY name", null, r => r.GetString(0));
    }

    /// <summary>Stores a data protection key under its name (a new key never replaces another).</summary>
    public void AddSessionKey(string name, string xml)
    {
        using var connection = _provider.Open();
        PlainCommand.Execute(connection, "INSERT INTO session_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING", null, ("name", name), ("xml", xml));
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Json(string name, ApiRole role) =>
        System.Text.Json.JsonSerializer.Serialize(new JsonShapes.KeyAudit(name, Name(role)), StoreJson.Relaxed.KeyAudit);

    private sealed class Row
    {
        /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
        public const string Select = "SELECT id, name, role, hash, created_at, revoked_at FROM api_keys";

        /// <summary>The key at <paramref name="reader"/>'s position, its columns those of <see cref="Select"/>.</summary>
        public static Row Read(System.Data.Common.DbDataReader reader) => new()
        {
            Id = reader.GetString(0), Name = reader.GetString(1), Role = reader.GetString(2), Hash = reader.GetString(3),
            Created_At = reader.GetString(4), Revoked_At = reader.Text(5),
        };

        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Role { get; set; } = "";
        public string Hash { get; set; } = "";
        public string Created_At { get; set; } = "";
        public string? Revoked_At { get; set; }

        public ApiKeyRecord ToRecord() => new(Name, ParseRole(Role) ?? ApiRole.Viewer, Parse(Created_At), Revoked_At is null ? null : Parse(Revoked_At));

        private static Instant Parse(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
    }
}

/// <summary>
/// Schema migration 6: the API keys and the data protection keys of web sessions, the same on both providers (TEXT
/// means the same on each).
/// </summary>
internal static class ApiKeySchema
{
    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "API keys of the HTTP service (hashed) and its session data protection keys";

    /// <summary>The table: the lookup id is public, the hash is SHA-256 of the whole key, names are unique for good.</summary>
    public const string Sql =
        """
        CREATE TABLE api_keys (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE,
            role       TEXT NOT NULL,
            hash       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE TABLE session_keys (
            name TEXT PRIMARY KEY,
            xml  TEXT NOT NULL
        );
        """;
}
