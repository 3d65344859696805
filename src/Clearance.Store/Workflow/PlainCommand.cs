using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Clearance.Store;

/// <summary>
/// The store's statements: a plain command with named parameters, its rows read by column ordinal. No row mapper and no
/// parameter writer is made at run time: Dapper, which the store used before, emitted and compiled one for each new query
/// and row type when it first met them, which a short process (a recheck after a list update, a few dozen statements each
/// run once) paid for every statement, and which a Native AOT build of the CLI cannot do at all ("Dynamic code generation
/// is not supported on this platform"). Each query names its columns, in the order its reader reads them.
/// </summary>
internal static class PlainCommand
{
    /// <summary>A command for <paramref name="sql"/> with its named parameters (null: SQL NULL; a name without its '@' is given one).</summary>
    public static DbCommand Create(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = Placeholder(name);
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>
    /// A command for <paramref name="sql"/> prepared once, its named text parameters bound again for each run
    /// (<see cref="Run"/>): a statement run for many lines in one transaction is parsed and planned once.
    /// </summary>
    public static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, string sql, params string[] names)
    {
        var command = Create(connection, sql, transaction, [.. names.Select(name => (name, (object?)null))]);
        foreach (DbParameter parameter in command.Parameters)
            parameter.DbType = DbType.String;
        command.Prepare();
        return command;
    }

    /// <summary>Runs a prepared command (<see cref="Prepare"/>) with <paramref name="values"/>, in its parameters' order (null: SQL NULL).</summary>
    public static void Run(DbCommand command, params string?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = (object?)values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    /// <summary>The first column of the first row, or null when there is no row or it is NULL.</summary>
    public static object? Scalar(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, sql, transaction, parameters);
        return command.ExecuteScalar() is { } value and not DBNull ? value : null;
    }

    /// <summary>The first column of the first row as a number: 0 when there is no row or it is NULL.</summary>
    public static long Int64(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters) =>
        NullableInt64(connection, sql, transaction, parameters) ?? 0;

    /// <summary>The first column of the first row as a number, or null when there is no row or it is NULL.</summary>
    public static long? NullableInt64(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters) =>
        Scalar(connection, sql, transaction, parameters) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    /// <summary>Runs a statement that returns no rows; the number of rows it changed.</summary>
    public static int Execute(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, sql, transaction, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Every row of a query, each made by <paramref name="read"/> from the reader at its position.</summary>
    public static List<T> Query<T>(DbConnection connection, string sql, DbTransaction? transaction, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var command = Create(connection, sql, transaction, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    /// <summary>
    /// The first row of a query made by <paramref name="read"/>, or the default (null) when there is none. For a row of
    /// value type, make <typeparamref name="T"/> nullable (<c>First&lt;(long, string)?&gt;</c>) to tell no row from a row.
    /// </summary>
    public static T? First<T>(DbConnection connection, string sql, DbTransaction? transaction, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var command = Create(connection, sql, transaction, parameters);
        using var reader = command.ExecuteReader();
        return reader.Read() ? read(reader) : default;
    }

    /// <summary>
    /// The rows of a query one at a time, as they are read (the command runs when the first row is asked for): a table of
    /// millions of rows is gone through without holding it in memory. The connection stays the caller's.
    /// </summary>
    public static IEnumerable<T> Stream<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var command = Create(connection, sql);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            yield return read(reader);
    }

    /// <summary>
    /// The parameter's name as the SQL writes it (<c>@id</c>). Microsoft.Data.Sqlite binds a parameter named without its
    /// prefix ("id") by asking SQLite for "id", then for each of "@id", "$id" and ":id" (all three, to refuse an ambiguous
    /// name): four lookups, three strings made and three conversions to UTF-8 at every bind, where the written name takes
    /// one lookup. A recheck binds ~5,000 parameters writing its 500 changed lines (docs/benchmarks.md, branch
    /// recheck-warm24). Npgsql takes either form.
    /// </summary>
    internal static string Placeholder(string name) => name.StartsWith('@') ? name : "@" + name;

    /// <summary>A text column, or null.</summary>
    public static string? Text(this DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>
    /// A number column as a long, whatever integer or numeric type the provider gives (PostgreSQL's SUM of a BIGINT is a
    /// NUMERIC, SQLite's INTEGER a long).
    /// </summary>
    public static long Int64(this DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);

    /// <summary>A number column as a long (<see cref="Int64(DbDataReader, int)"/>), or null.</summary>
    public static long? NullableInt64(this DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.Int64(column);
}
