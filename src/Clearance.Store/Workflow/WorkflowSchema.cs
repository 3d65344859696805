namespace Clearance.Store;

/// <summary>
/// The workflow tables (licences, their transitions and drawdown ledger, the audit trail), one migration per provider.
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

    /// <summary>The tables whose definition is the same on both providers (TEXT and BIGINT mean the same on each).</summary>
    private const string Common =
        """
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
        );
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
        """;

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
        """;
}
