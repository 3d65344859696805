namespace Clearance.Store;

/// <summary>
/// The workflow tables (licences, their transitions and drawdown ledger, the audit trail, shipments and their events),
/// one migration per provider.
/// Amounts in the ledger are integers in ten-thousandths (<see cref="Scale"/>) so that sums are exact on both
/// providers (SQLite would add decimals as floating point); licence limits keep their text. A licence's valid_to is its
/// last valid day, as licences state it and as the wire gives it (the domain's half-open period ends the day after).
/// </summary>
internal static class WorkflowSchema
{
    /// <summary>Ledger amounts are stored multiplied by this: four decimal places.</summary>
    public const decimal Scale = 10_000m;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "licences, their transitions and drawdown ledger; the hash-chained audit trail";

    /// <summary>The audit table's columns after its sequence (also those of its rebuild, <see cref="AuditRowidSchema"/>).</summary>
    internal const string AuditColumns =
        """
            time            TEXT NOT NULL,
            actor           TEXT NOT NULL,
            action          TEXT NOT NULL,
            subject         TEXT NOT NULL,
            inputs          TEXT NOT NULL,
            outputs         TEXT NOT NULL,
            content_version TEXT NOT NULL,
            list_versions   TEXT NOT NULL,
            previous_hash   TEXT NOT NULL,
            hash            TEXT NOT NULL
        """;

    /// <summary>The tables whose definition is the same on both providers (TEXT and BIGINT mean the same on each).</summary>
    private const string Common =
        $"""
        CREATE TABLE licenses (
            number         TEXT PRIMARY KEY,
            jurisdiction   TEXT NOT NULL,
            type           TEXT NOT NULL,
            holder         TEXT NOT NULL,
            items          TEXT NOT NULL,
            destinations   TEXT NOT NULL,
            consignees     TEXT NOT NULL,
            end_users      TEXT NOT NULL,
            valid_from     TEXT NOT NULL,
            valid_to       TEXT,
            quantity_limit TEXT,
            quantity_unit  TEXT,
            value_limit    TEXT,
            value_currency TEXT,
            tolerance      TEXT NOT NULL,
            state          TEXT NOT NULL
        );
        CREATE TABLE audit (
            sequence        BIGINT PRIMARY KEY,
        {AuditColumns}
        );
        CREATE TABLE shipments (
            id            TEXT PRIMARY KEY,
            status        TEXT NOT NULL,
            license       TEXT,
            reasons       TEXT NOT NULL,
            determination TEXT NOT NULL,
            request       TEXT NOT NULL,
            demand        TEXT,
            submitted_at  TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE INDEX shipments_status ON shipments(status);
        """;

    /// <summary>The columns of shipment_events after its id (whose type differs by provider).</summary>
    private const string ShipmentEvents =
        """
            shipment  TEXT NOT NULL REFERENCES shipments(id),
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            status    TEXT NOT NULL,
            license   TEXT,
            reason    TEXT
        );
        CREATE INDEX shipment_events_shipment ON shipment_events(shipment);
        """;

    /// <summary>SQLite.</summary>
    public const string Sqlite = Common +
        """
        CREATE TABLE license_transitions (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            number    TEXT NOT NULL REFERENCES licenses(number),
            state     TEXT NOT NULL,
            on_date   TEXT NOT NULL,
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            reason    TEXT
        );
        CREATE INDEX license_transitions_number ON license_transitions(number);
        CREATE TABLE license_ledger (
            sequence  INTEGER PRIMARY KEY AUTOINCREMENT,
            number    TEXT NOT NULL REFERENCES licenses(number),
            shipment  TEXT NOT NULL,
            quantity  INTEGER NOT NULL,
            value     INTEGER NOT NULL,
            reverses  INTEGER REFERENCES license_ledger(sequence),
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL
        );
        CREATE INDEX license_ledger_number ON license_ledger(number);
        CREATE TABLE shipment_events (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
        """ + ShipmentEvents;

    /// <summary>PostgreSQL.</summary>
    public const string Postgres = Common +
        """
        CREATE TABLE license_transitions (
            id        BIGSERIAL PRIMARY KEY,
            number    TEXT NOT NULL REFERENCES licenses(number),
            state     TEXT NOT NULL,
            on_date   TEXT NOT NULL,
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            reason    TEXT
        );
        CREATE INDEX license_transitions_number ON license_transitions(number);
        CREATE TABLE license_ledger (
            sequence  BIGSERIAL PRIMARY KEY,
            number    TEXT NOT NULL REFERENCES licenses(number),
            shipment  TEXT NOT NULL,
            quantity  BIGINT NOT NULL,
            value     BIGINT NOT NULL,
            reverses  BIGINT REFERENCES license_ledger(sequence),
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL
        );
        CREATE INDEX license_ledger_number ON license_ledger(number);
        CREATE TABLE shipment_events (
            id        BIGSERIAL PRIMARY KEY,
        """ + ShipmentEvents;
}
