namespace Clearance.Store.Tests;

// Environment variables are process-wide: these tests must not run in parallel with each other.
[Collection(nameof(DatabaseLocationTests))]
public sealed class DatabaseLocationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string? _savedDb = Environment.GetEnvironmentVariable(DatabaseLocation.EnvironmentVariable);
    private readonly string? _savedXdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(DatabaseLocation.EnvironmentVariable, _savedDb);
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", _savedXdg);
        _dir.Dispose();
    }

    [Fact]
    public void DescribeFailure_ReadOnlySqliteWriteInsideAnotherException_SaysReadOnly()
    {
        var path = Path.Combine(_dir.FullName, "clearance.db");
        var error = new InvalidOperationException("wrapped", new Microsoft.Data.Sqlite.SqliteException("attempt to write a readonly database", 8));

        Assert.StartsWith($"the database {path} is read-only: this command needs to write to it", DatabaseLocation.DescribeFailure(path, error), StringComparison.Ordinal);
        Assert.Equal($"the disk holding {path} is full", DatabaseLocation.DescribeFailure(path, new Microsoft.Data.Sqlite.SqliteException("full", 13)));
    }

    [Fact]
    public void DescribeFailure_OtherErrors_Null()
    {
        var path = Path.Combine(_dir.FullName, "clearance.db");

        Assert.Null(DatabaseLocation.DescribeFailure(path, new InvalidOperationException("a bug")));
        Assert.Null(DatabaseLocation.DescribeFailure(path, new Microsoft.Data.Sqlite.SqliteException("constraint failed", 19)));
    }

    [Fact]
    public void Resolve_ExplicitPath_WinsAndDirectoryIsCreated()
    {
        Environment.SetEnvironmentVariable(DatabaseLocation.EnvironmentVariable, Path.Combine(_dir.FullName, "env.db"));
        var explicitPath = Path.Combine(_dir.FullName, "a", "b", "x.db");

        var resolved = DatabaseLocation.Resolve(explicitPath);

        Assert.Equal(explicitPath, resolved);
        Assert.True(Directory.Exists(Path.Combine(_dir.FullName, "a", "b")));
    }

    [Fact]
    public void Resolve_NoPath_UsesEnvironmentVariable()
    {
        Environment.SetEnvironmentVariable(DatabaseLocation.EnvironmentVariable, Path.Combine(_dir.FullName, "env.db"));

        Assert.Equal(Path.Combine(_dir.FullName, "env.db"), DatabaseLocation.Resolve(null));
    }

    [Fact]
    public void Resolve_NothingSet_UsesXdgDataHome()
    {
        Environment.SetEnvironmentVariable(DatabaseLocation.EnvironmentVariable, null);
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(_dir.FullName, "data"));

        var resolved = DatabaseLocation.Resolve(null);

        Assert.Equal(Path.Combine(_dir.FullName, "data", "clearance", "clearance.db"), resolved);
        Assert.True(Directory.Exists(Path.Combine(_dir.FullName, "data", "clearance")));
    }

    [Theory]
    [InlineData("Host=db.example;Database=clearance", true)]
    [InlineData("Database=clearance; Server=db", true)]
    [InlineData("postgres://u@db:5432/clearance", true)]
    [InlineData("PostgreSQL://db/clearance", true)]
    [InlineData("/var/lib/clearance/clearance.db", false)]
    [InlineData("clearance.db", false)]
    [InlineData("/tmp/ghost=1/clearance.db", false)]
    public void IsPostgres_ConnectionStringsAndUris_NotFilePaths(string location, bool expected)
    {
        Assert.Equal(expected, DatabaseLocation.IsPostgres(location));
    }

    [Fact]
    public void Resolve_PostgresInEnvironment_ReturnedAsGivenNoDirectoryCreated()
    {
        Environment.SetEnvironmentVariable(DatabaseLocation.EnvironmentVariable, " postgres://u@db:5432/clearance ");

        Assert.Equal("postgres://u@db:5432/clearance", DatabaseLocation.Resolve(null));
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, "postgres:")));
    }
}
