using System.CommandLine;

var root = new RootCommand("Clearance: export-control determination and restricted-party screening.");
root.Subcommands.Add(Clearance.Cli.Screen.ScreenCommand.Create());
return await root.Parse(args).InvokeAsync();
