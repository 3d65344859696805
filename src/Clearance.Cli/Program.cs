using System.CommandLine;

var root = new RootCommand("Clearance: export-control determination and restricted-party screening.");
return await root.Parse(args).InvokeAsync();
