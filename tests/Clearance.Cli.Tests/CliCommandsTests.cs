namespace Clearance.Cli.Tests;

/// <summary>Which commands a command line has built (<see cref="CliCommands.For"/>): the one it names, else all.</summary>
public sealed class CliCommandsTests
{
    [Fact]
    public void All_EachName_IsTheNameOfTheCommandItsFactoryBuilds()
    {
        Assert.All(CliCommands.All, entry => Assert.Equal(entry.Name, entry.Create().Name));
        Assert.Equal(CliCommands.All.Length, CliCommands.All.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("shipments recheck --full", "shipments")]
    [InlineData("check --from JP", "check")]
    [InlineData("serve", "serve")]
    public void For_FirstWordACommand_OnlyThatCommand(string commandLine, string name)
    {
        var command = Assert.Single(CliCommands.For(commandLine.Split(' ')));

        Assert.Equal(name, command.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--help")]
    [InlineData("--verbose shipments recheck")]
    [InlineData("chek --from JP")]
    [InlineData("Shipments recheck")]
    [InlineData("@args.rsp")]
    [InlineData("[diagram] check")]
    public void For_FirstWordNoCommand_EveryCommandInOrder(string commandLine)
    {
        var commands = CliCommands.For(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

        Assert.Equal(CliCommands.All.Select(e => e.Name), commands.Select(c => c.Name));
    }
}
