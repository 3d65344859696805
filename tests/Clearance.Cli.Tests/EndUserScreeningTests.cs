using System.CommandLine;
using Clearance.Cli.Check;
using Clearance.Cli.Lists;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Cli.Tests;

public sealed class EndUserScreeningTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Screen_LineWithoutEndUser_NeverOpensTheDatabase()
    {
        string db = Path.Combine(_dir.FullName, "not-yet", "clearance.db");
        EndUserScreening screening = EndUserScreeningFactory.Open(db, TextWriter.Null);
        Jurisdiction japan = Clearance.Content.ContentLoader.LoadBuiltIn().Jurisdictions.First(j => j.EndUserList is not null);

        Assert.Equal(EndUserStatus.NotGiven, screening.Screen(japan, null, CountryCode.Parse("CN")).Status);
        Assert.False(Directory.Exists(Path.GetDirectoryName(db)));

        Assert.Equal(EndUserStatus.NotScreened, screening.Screen(japan, "Beihang University", CountryCode.Parse("CN")).Status);
        Assert.True(Directory.Exists(Path.GetDirectoryName(db)));
    }

    [Fact]
    public void Screen_EndUserOnTheEndUserList_IsListed_ThroughThePersistedIndex()
    {
        var import = new RootCommand { ListsCommand.Create() }.Parse(
            ["lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"), "--db", Db])
            .Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        Assert.Equal(0, import);
        EndUserScreening screening = EndUserScreeningFactory.Open(Db, TextWriter.Null);
        Jurisdiction japan = Clearance.Content.ContentLoader.LoadBuiltIn().Jurisdictions.First(j => j.EndUserList == "meti-eul");

        EndUserResult result = screening.Screen(japan, "Beijing University of Aeronautics & Astronautics", CountryCode.Parse("CN"));

        Assert.Equal(EndUserStatus.Listed, result.Status);
        Assert.Contains(result.Matches, m => m.ListId == "meti-eul" && m.EntityId == "501");
    }
}
