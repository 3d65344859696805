using System.CommandLine;
using System.Globalization;

// Machine formats everywhere (numbers, dates): results must not depend on the user's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var root = new RootCommand("Clearance: export-control determination and restricted-party screening.");
root.Subcommands.Add(Clearance.Cli.Check.CheckCommand.Create());
root.Subcommands.Add(Clearance.Cli.Rules.RulesCommand.Create());
root.Subcommands.Add(Clearance.Cli.ContentFiles.ContentCommand.Create());
root.Subcommands.Add(Clearance.Cli.Lists.ListsCommand.Create());
root.Subcommands.Add(Clearance.Cli.Screen.ScreenCommand.Create());
return await root.Parse(args).InvokeAsync();
