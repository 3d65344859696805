using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Clearance.Store;

/// <summary>
/// Rows for one table, gathered in memory and written in one go: on SQLite by one prepared INSERT re-bound per row
/// (no round trips there, so preparing once is what saves), on PostgreSQL by one <c>INSERT ... SELECT FROM unnest</c>
/// of an array per column (one round trip for all rows, where a statement a row would pay one each).
/// </summary>
internal sealed class RowBatch
{
    private readonly string _table;
    private readonly (string Name, Kind Kind)[] _columns;

    // The rows by column, typed: a text column's values in _texts[column], a number column's in _numbers[column] (the other
    // array null). A row was an object[] with its numbers boxed, tested for its type value by value when bound; a column
    // of one type is allocated once per batch and bound without a test.
    private readonly string?[]?[] _texts;
    private readonly long?[]?[] _numbers;
    private int _count;
    private byte[] _utf8 = new byte[4096];

    /// <summary>A batch for <paramref name="table"/> with <paramref name="columns"/>, in the order <see cref="Row"/> takes the values.</summary>
    public RowBatch(string table, params (string Name, Kind Kind)[] columns)
        : this(table, 16, columns)
    {
    }

    /// <summary>
    /// A batch for <paramref name="table"/> with room for <paramref name="rows"/> rows before its columns grow: a writer
    /// that knows how many rows it will add (one a line of a submitted batch) sizes the columns once, where growing them
    /// by doubling allocated about twice the rows' room, batch after batch.
    /// </summary>
    public RowBatch(string table, int rows, params (string Name, Kind Kind)[] columns)
    {
        rows = Math.Max(rows, 1);
        _table = table;
        _columns = columns;
        _texts = new string?[]?[columns.Length];
        _numbers = new long?[]?[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Kind == Kind.Long)
                _numbers[i] = new long?[rows];
            else
                _texts[i] = new string?[rows];
        }
    }

    /// <summary>A column's type: the schema has only these two.</summary>
    public enum Kind
    {
        /// <summary>TEXT (nullable).</summary>
        Text,

        /// <summary>BIGINT / INTEGER (nullable).</summary>
        Long,
    }

    /// <summary>Whether a row whose key is in the table already is skipped (<c>ON CONFLICT DO NOTHING</c>) instead of failing.</summary>
    public bool SkipExisting { get; init; }

    /// <summary>
    /// SQLite: bind through SQLitePCLRaw (each text encoded into one buffer, then copied by SQLite), the reference the
    /// direct binding (<see cref="DirectBinding"/>) must agree with; also the way taken where that binding is not available.
    /// </summary>
    internal bool ReferenceBinding { get; init; }

    /// <summary>The number of rows gathered.</summary>
    public int Count => _count;

    /// <summary>
    /// A new row, filled value by value in column order (<see cref="RowWriter.Text"/>, <see cref="RowWriter.Long"/>) and
    /// counted by <see cref="RowWriter.End"/>, which requires every column given.
    /// </summary>
    public RowWriter Row()
    {
        if (_count == (_texts[0] ?? (Array)_numbers[0]!).Length)
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                if (_texts[i] is { } texts)
                    Array.Resize(ref _texts[i], texts.Length * 2);
                else
                    Array.Resize(ref _numbers[i], _numbers[i]!.Length * 2);
            }
        }

        return new RowWriter(this, 0);
    }

    /// <summary>A row being filled: each call sets the next column and returns the writer of the one after it.</summary>
    public readonly struct RowWriter
    {
        private readonly RowBatch _batch;
        private readonly int _column;

        internal RowWriter(RowBatch batch, int column)
        {
            _batch = batch;
            _column = column;
        }

        /// <summary>The next column's value, a text column's (null for SQL NULL).</summary>
        public RowWriter Text(string? value)
        {
            if ((uint)_column >= (uint)_batch._texts.Length || _batch._texts[_column] is not { } column)
                throw _batch.Misfilled(_column, Kind.Text);
            column[_batch._count] = value;
            return new RowWriter(_batch, _column + 1);
        }

        /// <summary>The next column's value, a number column's (null for SQL NULL).</summary>
        public RowWriter Long(long? value)
        {
            if ((uint)_column >= (uint)_batch._numbers.Length || _batch._numbers[_column] is not { } column)
                throw _batch.Misfilled(_column, Kind.Long);
            column[_batch._count] = value;
            return new RowWriter(_batch, _column + 1);
        }

        /// <summary>The row is complete: counted.</summary>
        public void End()
        {
            if (_column != _batch._columns.Length)
                throw new ArgumentException($"{_batch._table}: {_column} values for {_batch._columns.Length} columns");
            _batch._count++;
        }
    }

    private ArgumentException Misfilled(int column, Kind given) => column >= _columns.Length
        ? new ArgumentException($"{_table}: more values than its {_columns.Length} columns")
        : new ArgumentException($"{_table}: column {_columns[column].Name} is {_columns[column].Kind}, given {given}");

    /// <summary>Forgets the rows gathered (after they are written, or when the transaction is replayed).</summary>
    public void Clear()
    {
        // The texts let go so that a batch's strings do not outlive it in a kept RowBatch.
        foreach (var texts in _texts)
        {
            if (texts is not null)
                Array.Clear(texts, 0, _count);
        }

        _count = 0;
    }

    /// <summary>Inserts the rows gathered in <paramref name="transaction"/>.</summary>
    public void Write(DbConnection connection, DbTransaction transaction, bool postgres)
    {
        if (_count == 0)
            return;
        if (postgres)
            WritePostgres((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        else
            WriteSqlite(connection, transaction);
    }

    private string OnConflict => SkipExisting ? " ON CONFLICT DO NOTHING" : "";

    /// <summary>
    /// Rows a SQLite INSERT takes at once (<c>VALUES (...), (...), ...</c>), at most: each execution of a statement pays
    /// for its start and end (for a table with AUTOINCREMENT, such as shipment_events and license_ledger, a read and a
    /// write of sqlite_sequence), which one row a statement paid for every row. Kept under SQLite's oldest limit of
    /// 999 parameters a statement.
    /// </summary>
    internal const int SqliteRowsPerStatement = 32;

    private void WriteSqlite(DbConnection connection, DbTransaction transaction)
    {
        // Straight to SQLite's statement API: parameters bound by position, prepared statements stepped and reset. ADO.NET's
        // command looks each parameter up by name at every execution, which cost more than the insert.
        var db = ((SqliteConnection)connection).Handle!;
        _ = transaction; // the connection's transaction: SQLite has one per connection
        var perStatement = Math.Min(SqliteRowsPerStatement, 999 / _columns.Length);
        var whole = _count / perStatement * perStatement;
        if (whole > 0)
            Step(db, perStatement, 0, whole);
        if (whole < _count)
            Step(db, 1, whole, _count);
    }

    /// <summary>Inserts rows [<paramref name="from"/>, <paramref name="to"/>) by a statement of <paramref name="perStatement"/> rows, stepped once per that many.</summary>
    private void Step(sqlite3 db, int perStatement, int from, int to)
    {
        Check(raw.sqlite3_prepare_v2(db, SqliteInsert(perStatement), out var statement), db);
        using (statement)
        {
            if (!ReferenceBinding && DirectBinding.Available is { } direct && direct.Serves(db, statement))
            {
                StepDirect(direct, db, statement, perStatement, from, to);
                return;
            }

            // What each parameter holds now: SQLite keeps a statement's bindings across sqlite3_reset, so a value that is
            // the one the parameter already holds (the actor, the action, the content and list versions, a null licence:
            // about half of a submit's values repeat from one row of a statement to the same row of the next) is not bound
            // again. Each bind is a P/Invoke under the connection's mutex, and a text's is a copy into SQLite's memory.
            // Parameter (row r, column c) is r * columns + c + 1, as the INSERT lists them.
            var width = _columns.Length;
            var boundTexts = new string?[perStatement * width];
            var boundNumbers = new long?[perStatement * width];
            var unset = true;
            for (var first = from; first < to; first += perStatement)
            {
                for (var c = 0; c < width; c++)
                {
                    if (_texts[c] is { } texts)
                    {
                        for (var r = 0; r < perStatement; r++)
                        {
                            var value = texts[first + r];
                            var index = (r * width) + c;
                            if (!unset && Same(boundTexts[index], value))
                                continue;
                            boundTexts[index] = value;
                            Check(value is null ? raw.sqlite3_bind_null(statement, index + 1) : BindText(statement, index + 1, value), db);
                        }
                    }
                    else
                    {
                        var numbers = _numbers[c]!;
                        for (var r = 0; r < perStatement; r++)
                        {
                            var value = numbers[first + r];
                            var index = (r * width) + c;
                            if (!unset && boundNumbers[index] == value)
                                continue;
                            boundNumbers[index] = value;
                            Check(value is { } number ? raw.sqlite3_bind_int64(statement, index + 1, number) : raw.sqlite3_bind_null(statement, index + 1), db);
                        }
                    }
                }

                unset = false;

                var done = raw.sqlite3_step(statement);
                if (done != raw.SQLITE_DONE)
                    Check(done, db);
                Check(raw.sqlite3_reset(statement), db);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> is what the parameter holds already (<paramref name="held"/>): the same string
    /// instance, or both null. Not compared by content: in the 100,000-line book 1.46 million of the 4.0 million texts
    /// bound after a statement's first execution were the instance held (the actor, the action, a status, the content
    /// and list versions, a licence number), and of the other 2.54 million only 18,763 were equal in content: 18,540
    /// empty reasons arrays (since one instance, ShipmentStore.ReasonsJson) and 223 party names. An equal text that is
    /// another instance is bound again. (The compare's 6 % of the writer thread's samples were, most likely, its first
    /// read of each new string, made on the checking thread: that cost moved to the UTF-8 encoding, not saved; see
    /// docs/benchmarks.md, submit-speed14.)
    /// </summary>
    private static bool Same(string? held, string? value) => ReferenceEquals(held, value);

    /// <summary>
    /// <see cref="Step"/>'s loop with every value bound straight through SQLite's own entry points
    /// (<see cref="DirectBinding"/>), and each text bound where it lies (<c>SQLITE_STATIC</c>): its UTF-8 is written once
    /// into <see cref="TextArena"/>'s pinned blocks, which stay as they are until the statement is finalised, so SQLite
    /// neither allocates nor copies a bound text (it did both for every one: <c>SQLITE_TRANSIENT</c>). The same
    /// parameters, in the same order, skipped when they hold the same instance, as <see cref="Step"/> binds them.
    /// </summary>
    private unsafe void StepDirect(DirectBinding direct, sqlite3 db, sqlite3_stmt statement, int perStatement, int from, int to)
    {
        var handle = statement.DangerousGetHandle();
        var arena = TextArena.ForThisThread();
        arena.Reset();
        try
        {
            var width = _columns.Length;
            var boundTexts = new string?[perStatement * width];
            var boundNumbers = new long?[perStatement * width];
            var unset = true;
            for (var first = from; first < to; first += perStatement)
            {
                for (var c = 0; c < width; c++)
                {
                    if (_texts[c] is { } texts)
                    {
                        for (var r = first; r < Math.Min(first + PrefetchAhead, to); r++)
                            Prefetch(texts[r]);
                        for (var r = 0; r < perStatement; r++)
                        {
                            if (first + r + PrefetchAhead < to)
                                Prefetch(texts[first + r + PrefetchAhead]);
                            var value = texts[first + r];
                            var index = (r * width) + c;
                            if (!unset && Same(boundTexts[index], value))
                                continue;
                            boundTexts[index] = value;
                            int result;
                            if (value is null)
                            {
                                result = direct.BindNull(handle, index + 1);
                            }
                            else
                            {
                                var text = arena.Encode(value, out var length);
                                result = direct.BindText(handle, index + 1, text, length, 0); // 0: SQLITE_STATIC
                            }

                            Check(result, db);
                        }
                    }
                    else
                    {
                        var numbers = _numbers[c]!;
                        for (var r = 0; r < perStatement; r++)
                        {
                            var value = numbers[first + r];
                            var index = (r * width) + c;
                            if (!unset && boundNumbers[index] == value)
                                continue;
                            boundNumbers[index] = value;
                            Check(value is { } number ? direct.BindInt64(handle, index + 1, number) : direct.BindNull(handle, index + 1), db);
                        }
                    }
                }

                unset = false;

                var done = raw.sqlite3_step(statement);
                if (done != raw.SQLITE_DONE)
                    Check(done, db);
                Check(raw.sqlite3_reset(statement), db);
            }
        }
        finally
        {
            // The statement still points at the arena's bytes until it is finalised (the caller's using): the bindings
            // are cleared first, so that the arena can be reused by the next statement whatever happens to this one.
            _ = direct.ClearBindings(handle);
        }
    }

    /// <summary>How many rows ahead of the one bound <see cref="StepDirect"/> asks for a column's texts to be fetched into the cache.</summary>
    private const int PrefetchAhead = 8;

    /// <summary>
    /// Asks the processor to fetch <paramref name="text"/>'s first bytes (its length and first characters) into the cache.
    /// A batch's texts were made on the thread that checks the lines, and the writer's first read of each one missed the
    /// cache: in a profile of the submit, the instruction of <see cref="TextArena.Encode"/> that reads the text's length
    /// had 5 % of the writer thread's samples, more than any other (docs/benchmarks.md, submit23). A hint only: the address
    /// is not kept, and a text the collector moved meanwhile is just read from its new place later.
    /// </summary>
    private static unsafe void Prefetch(string? text)
    {
        if (text is null || !System.Runtime.Intrinsics.X86.Sse.IsSupported)
            return;
        var characters = (byte*)Unsafe.AsPointer(ref Unsafe.AsRef(in text.GetPinnableReference()));
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(characters - sizeof(int));
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(characters + 60);
    }

    /// <summary>
    /// The UTF-8 of the texts one statement binds, in blocks of pinned memory (the pinned object heap: never moved) that
    /// are only written, never moved or overwritten, until <see cref="Reset"/>: what SQLite binds without copying must
    /// stay where it is while the statement may read it. One per thread (a statement is bound on one thread), reused
    /// statement after statement: a batch's statement binds up to ~1 MB of text.
    /// </summary>
    internal sealed unsafe class TextArena
    {
        private const int BlockSize = 256 * 1024;

        [ThreadStatic]
        private static TextArena? _forThread;

        private readonly List<byte[]> _blocks = [];

        /// <summary>Texts larger than a block, each in its own pinned array, let go at <see cref="Reset"/>.</summary>
        private readonly List<byte[]> _large = [];
        private int _block;
        private int _used;

        public static TextArena ForThisThread() => _forThread ??= new TextArena();

        /// <summary>The blocks written so far may be written again (nothing bound to them is read any more).</summary>
        public void Reset()
        {
            _block = 0;
            _used = 0;
            _large.Clear();
        }

        /// <summary><paramref name="text"/>'s UTF-8, written after the bytes written since <see cref="Reset"/>; never a null pointer (SQLite would bind NULL).</summary>
        public byte* Encode(string text, out int length)
        {
            var most = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (most > BlockSize)
            {
                var own = GC.AllocateUninitializedArray<byte>(most, pinned: true);
                _large.Add(own);
                length = Encoding.UTF8.GetBytes(text, own);
                return (byte*)Unsafe.AsPointer(ref own[0]);
            }

            if (_block < _blocks.Count && BlockSize - _used < most)
            {
                _block++;
                _used = 0;
            }

            if (_block == _blocks.Count)
                _blocks.Add(GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
            var block = _blocks[_block];
            var at = _used;
            length = Encoding.UTF8.GetBytes(text, block.AsSpan(at, most));
            _used = at + length;
            return (byte*)Unsafe.AsPointer(ref block[at]); // at < BlockSize: at least `most` (3 or more) bytes were free
        }
    }

    /// <summary>
    /// SQLite's bind functions called straight, as function pointers taken from the very library SQLitePCLRaw loaded
    /// (its e_sqlite3, looked up by the provider's own assembly, the way its imports are resolved), without SQLitePCLRaw's
    /// wrappers: each of those calls takes and releases the statement's safe handle and marshals a span, and a submit binds
    /// about four million values (see docs/benchmarks.md, submit23). Null where SQLitePCLRaw uses another library, or the
    /// library cannot be found the same way: <see cref="RowBatch"/> then binds through SQLitePCLRaw.
    /// </summary>
    internal sealed unsafe class DirectBinding
    {
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*, int, nint, int> _bindText;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long, int> _bindInt64;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> _bindNull;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int> _clearBindings;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, nint> _dbHandle;

        private DirectBinding(nint library)
        {
            _bindText = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*, int, nint, int>)NativeLibrary.GetExport(library, "sqlite3_bind_text");
            _bindInt64 = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long, int>)NativeLibrary.GetExport(library, "sqlite3_bind_int64");
            _bindNull = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)NativeLibrary.GetExport(library, "sqlite3_bind_null");
            _clearBindings = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int>)NativeLibrary.GetExport(library, "sqlite3_clear_bindings");
            _dbHandle = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, nint>)NativeLibrary.GetExport(library, "sqlite3_db_handle");
        }

        /// <summary>The binding, or null where it is not available (then SQLitePCLRaw binds).</summary>
        public static DirectBinding? Available { get; } = Load();

        private static DirectBinding? Load()
        {
            try
            {
                SQLitePCL.Batteries_V2.Init();
                if (raw.GetNativeLibraryName() != "e_sqlite3")
                    return null;
                var library = NativeLibrary.Load("e_sqlite3", typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, null);
                var version = (delegate* unmanaged[Cdecl]<int>)NativeLibrary.GetExport(library, "sqlite3_libversion_number");
                return version() == raw.sqlite3_libversion_number() ? new DirectBinding(library) : null;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>Whether <paramref name="statement"/> is a statement of <paramref name="db"/> as this library sees it (the same library, then).</summary>
        public bool Serves(sqlite3 db, sqlite3_stmt statement) => _dbHandle(statement.DangerousGetHandle()) == db.DangerousGetHandle();

        public int BindText(nint statement, int index, byte* text, int length, nint destructor) => _bindText(statement, index, text, length, destructor);

        public int BindInt64(nint statement, int index, long value) => _bindInt64(statement, index, value);

        public int BindNull(nint statement, int index) => _bindNull(statement, index);

        public int ClearBindings(nint statement) => _clearBindings(statement);
    }

    /// <summary>
    /// The INSERT of <paramref name="perStatement"/> rows, remembered by its table, columns and row count: a batch writes
    /// six tables with a new <see cref="RowBatch"/> each, and the text of 32 rows of placeholders was made again each time.
    /// </summary>
    private string SqliteInsert(int perStatement)
    {
        var columns = string.Join(", ", _columns.Select(c => c.Name));
        return SqliteInserts.GetOrAdd((_table, columns, perStatement, SkipExisting), static key =>
        {
            var (table, columns, perStatement, skip) = key;
            var row = "(" + string.Join(", ", columns.Split(", ").Select(_ => "?")) + ")";
            return $"INSERT INTO {table} ({columns}) VALUES {string.Join(", ", Enumerable.Repeat(row, perStatement))}{(skip ? " ON CONFLICT DO NOTHING" : "")}";
        });
    }

    private static readonly ConcurrentDictionary<(string Table, string Columns, int Rows, bool SkipExisting), string> SqliteInserts = new();

    /// <summary>Binds UTF-8 encoded into a buffer kept for the batch (SQLite copies it): no array a value.</summary>
    private int BindText(sqlite3_stmt statement, int index, string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < length)
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        var written = Encoding.UTF8.GetBytes(text, _utf8);
        return raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, written));
    }

    private static void Check(int result, sqlite3 db)
    {
        if (result != raw.SQLITE_OK && result != raw.SQLITE_DONE)
            SqliteException.ThrowExceptionForRC(result, db);
    }

    private void WritePostgres(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var arrays = new StringBuilder();
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = i;
            if (_columns[i].Kind == Kind.Long)
            {
                command.Parameters.Add(new NpgsqlParameter<long?[]>("p" + i, NpgsqlDbType.Array | NpgsqlDbType.Bigint)
                {
                    TypedValue = _numbers[column].AsSpan(0, _count).ToArray(),
                });
            }
            else
            {
                command.Parameters.Add(new NpgsqlParameter<string?[]>("p" + i, NpgsqlDbType.Array | NpgsqlDbType.Text)
                {
                    TypedValue = _texts[column].AsSpan(0, _count).ToArray(),
                });
            }

            arrays.Append(i == 0 ? "@p0" : ", @p" + i);
        }

        command.CommandText = $"INSERT INTO {_table} ({string.Join(", ", _columns.Select(c => c.Name))}) SELECT * FROM unnest({arrays}){OnConflict}";
        command.ExecuteNonQuery();
    }
}
