using System.Data;
using System.Data.Common;

namespace Clearance.Store;

/// <summary>
/// Statements on the recheck's path run without Dapper: Dapper emits and compiles a parameter writer and a row reader for
/// each new query and row type when it first meets them, which a short process (a recheck after a list update, a few
/// dozen statements each run once) pays for every statement. A plain command and reader need nothing compiled at run time.
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

    /// <summary>Runs a statement that returns no rows.</summary>
    public static void Execute(DbConnection connection, string sql, DbTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, sql, transaction, parameters);
        command.ExecuteNonQuery();
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
}
