namespace Clearance.Server;

/// <summary>
/// How the service runs. Every value can come from configuration (section <c>Clearance</c>, e.g. the environment
/// variable <c>Clearance__MaxBodyBytes</c>); the command line's <c>--db</c> and <c>--urls</c> win.
/// </summary>
public sealed record ServerSettings
{
    /// <summary>The address the service listens on when none is configured: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The database (SQLite path or PostgreSQL connection string); null: CLEARANCE_DB or the user data directory.</summary>
    public string? Database { get; init; }

    /// <summary>The addresses to listen on, ';'-separated.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The largest request body of an ordinary request (one shipment, a decision): 1 MiB.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>The largest request body of a batch (check and submit in bulk, a list file upload): 256 MiB.</summary>
    public long MaxBatchBytes { get; init; } = 256L << 20;

    /// <summary>Requests each key (or, before authentication, each client address) may make per second.</summary>
    public int PermitsPerSecond { get; init; } = 1000;

    /// <summary>
    /// How long a checked key is trusted without asking the database again. The README promises that a revoked key stops
    /// working within 5 seconds on every server; 4 leaves a second for the request that finds it revoked on a loaded
    /// machine (with 5, a revocation took 5.6 s at load 68).
    /// </summary>
    public TimeSpan KeyCacheDuration { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How often the active list versions are compared with those being screened against.</summary>
    public TimeSpan ListPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Logs as JSON lines (for a log collector) rather than text for a terminal.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Where to send OpenTelemetry metrics and traces (OTLP); null: not exported (OTEL_EXPORTER_OTLP_ENDPOINT also sets it).</summary>
    public string? OtlpEndpoint { get; init; }
}

/// <summary>A setting the service cannot start with (an address that is not one to listen on), named as it was given.</summary>
internal sealed class ServerSettingException(string message) : Exception(message);
