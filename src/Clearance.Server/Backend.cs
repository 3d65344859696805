using Clearance.Evaluation;
using Clearance.Screening.Matching;
using Clearance.Store;
using Microsoft.Extensions.Logging;

namespace Clearance.Server;

/// <summary>The lists the service screens against, and the check service that screens end users with them.</summary>
/// <param name="Index">The screening index of the active lists, or null when no list is imported.</param>
/// <param name="Check">Determinations with end-user screening over <paramref name="Index"/>.</param>
/// <param name="ListVersions">The active list versions it was built from ("csl:3,meti-eul:1"), to notice an import by another replica.</param>
internal sealed record ScreeningState(ScreeningIndex? Index, CheckService Check, string ListVersions);

/// <summary>
/// What every request of the service shares: the compiled content, the stores of one database, and the current
/// screening state. The content and the stores are made once; the screening state is replaced whole (never changed)
/// when the active lists change, through this process or another one on the same database (<see cref="RefreshIfChanged"/>).
/// </summary>
internal sealed class Backend
{
    private readonly ILogger<Backend> _logger;
    private ScreeningState _screening;

    public Backend(ServerSettings settings, ILogger<Backend> logger)
    {
        _logger = logger;
        Location = DatabaseLocation.Resolve(settings.Database);
        Evaluator = ContentSetup.Evaluator();
        Rules = new RulesQueries(Evaluator.Content);
        Shipments = ShipmentStore.Open(Location);
        Keys = ApiKeyStore.Open(Location);
        Decisions = ScreeningDecisionStore.Open(Location);
        Reports = WorkflowReports.Open(Location);
        _screening = Load();
    }

    /// <summary>The database: a SQLite path or a PostgreSQL connection string.</summary>
    public string Location { get; }

    /// <summary>The compiled built-in content.</summary>
    public Evaluator Evaluator { get; }

    /// <summary>Rules in force, timelines and diffs of the content.</summary>
    public RulesQueries Rules { get; }

    /// <summary>Shipment lines, with the licences and the audit trail of the same database.</summary>
    public ShipmentStore Shipments { get; }

    /// <summary>Licences.</summary>
    public LicenseStore Licenses => Shipments.Licenses;

    /// <summary>The audit trail.</summary>
    public AuditTrail Audit => Shipments.Audit;

    /// <summary>Analysts' decisions on screening alerts.</summary>
    public ScreeningDecisionStore Decisions { get; }

    /// <summary>The compliance team's reports: holds, licence balances, alerts, overrides.</summary>
    public WorkflowReports Reports { get; }

    /// <summary>API keys.</summary>
    public ApiKeyStore Keys { get; }

    /// <summary>The current screening state (replaced whole, read without locks).</summary>
    public ScreeningState Screening => Volatile.Read(ref _screening);

    /// <summary>The list store of the database (opened per use: it is cheap and holds no connection).</summary>
    public ListStore OpenLists() => ListStore.Open(Location);

    /// <summary>Each list's active version, by list id.</summary>
    public IReadOnlyList<(string List, int Version)> ActiveLists() =>
        [.. ListStore.OpenForReading(Location).Status().Select(s => (s.Active.ListId, s.Active.VersionNo))];

    /// <summary>The active list versions as one string, e.g. "csl:3,meti-eul:1" (empty when none).</summary>
    public string ActiveListVersions() => string.Join(",", ActiveLists().Select(l => $"{l.List}:{l.Version}"));

    /// <summary>
    /// Appends an audit record of a change whose store does not write one itself (a list import), in a transaction of its own.
    /// </summary>
    public void Record(AuditTrail.Entry entry)
    {
        var provider = DatabaseLocation.Provider(Location);
        using var connection = provider.Open();
        using var transaction = connection.BeginTransaction();
        Audit.Append(connection, transaction, NodaTime.SystemClock.Instance.GetCurrentInstant(), entry);
        transaction.Commit();
    }

    /// <summary>Reloads the screening state when the active lists differ from those it was built from.</summary>
    public void RefreshIfChanged()
    {
        var versions = ActiveListVersions();
        if (versions != Screening.ListVersions)
        {
            Volatile.Write(ref _screening, Load());
            _logger.LogInformation("screening reloaded: active lists {ListVersions}", Screening.ListVersions);
        }
    }

    private ScreeningState Load()
    {
        var versions = ActiveListVersions();
        var index = ScreeningIndexFile.Open(Location, warning => _logger.LogWarning("screening index: {Warning}", warning));
        return new ScreeningState(index, new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(index))), versions);
    }
}

/// <summary>Polls the active list versions, so that an import through another replica is used here within seconds.</summary>
internal sealed class ListWatcher(Backend backend, ServerSettings settings, ILogger<ListWatcher> logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.ListPollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                backend.RefreshIfChanged();
            }
            catch (ListStoreException e)
            {
                logger.LogWarning("list versions not checked: {Error}", e.Message);
            }
        }
    }
}
