namespace Clearance.Store.Tests;

// Reads XDG_DATA_HOME, which DatabaseLocationTests change.
[Collection(nameof(DatabaseLocationTests))]
public sealed class NpgsqlProviderTests
{
    [Fact]
    public void Constructor_Uri_ReadsUserHostPortDatabaseAndParameters()
    {
        var provider = new NpgsqlProvider("postgres://scr%40een:s3cret%2F@db.example:6543/lists%20db?sslmode=disable&application_name=clearance");

        Assert.Equal("postgresql://scr%40een@db.example:6543/lists%20db", provider.Location);
        Assert.DoesNotContain("s3cret", provider.Location);
    }

    [Fact]
    public void Constructor_ConnectionString_LocationHasNoPassword()
    {
        var provider = new NpgsqlProvider("Host=127.0.0.1;Port=5433;Username=u;Password=hunter2;Database=d;Search Path=s1");

        Assert.Equal("postgresql://u@127.0.0.1:5433/d?search_path=s1", provider.Location);
    }

    [Fact]
    public void LocalPath_SameDatabaseAnyPassword_SameFolder_OtherDatabase_OtherFolder()
    {
        var a = new NpgsqlProvider("Host=h;Username=u;Password=one;Database=d");
        var b = new NpgsqlProvider("postgres://u:two@h:5432/d");
        var c = new NpgsqlProvider("Host=h;Username=u;Password=one;Database=other");

        Assert.Equal(a.LocalPath, b.LocalPath);
        Assert.NotEqual(a.LocalPath, c.LocalPath);
        Assert.StartsWith(Path.Combine(DatabaseLocation.DataDirectory(), "clearance", "postgresql"), a.LocalPath);
        Assert.DoesNotContain("one", Path.GetRelativePath(DatabaseLocation.DataDirectory(), a.LocalPath));
    }

    [Theory]
    [InlineData("Host=h;Nonsense=1", "invalid PostgreSQL connection string")]
    [InlineData("postgres://h:5432/d?nonsense=1", "invalid PostgreSQL URI parameter 'nonsense'")]
    [InlineData("postgres:///d", "invalid PostgreSQL URI")]
    public void Constructor_Malformed_NamesTheProblem(string location, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new NpgsqlProvider(location));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Open_NoServerListening_ClearErrorNamingTheDatabase()
    {
        // Port 1 on localhost: nothing listens there, the connection is refused at once.
        var e = Assert.Throws<ListStoreException>(() => ListStore.Open("Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d;Timeout=3"));

        Assert.Contains("cannot connect to the PostgreSQL database postgresql://u@127.0.0.1:1/d", e.Message);
        Assert.DoesNotContain("Password", e.Message);
    }
}
