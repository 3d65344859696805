using System.CommandLine;
using Clearance.Content;
using Clearance.Model;

namespace Clearance.Cli.ContentFiles;

/// <summary><c>clearance content validate [DIR]</c>.</summary>
internal static class ContentCommand
{
    public static Command Create()
    {
        var directory = new Argument<string?>("DIR") { Description = "directory of *.yaml content files (default: the built-in content)", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "Parse and validate content files; errors are printed as file:line: message (exit code 1).") { directory };
        validate.SetAction(parse =>
        {
            var dir = parse.GetValue(directory);
            try
            {
                if (dir is not null && !Directory.Exists(dir))
                {
                    Console.Error.WriteLine($"error: DIR: directory '{dir}' not found");
                    return ExitCodes.Failed;
                }

                var content = dir is null ? ContentLoader.LoadBuiltIn() : ContentLoader.LoadDirectory(dir);
                foreach (var j in content.Jurisdictions)
                {
                    var unconfirmed = j.Items.Count(i => i.Citation.Unconfirmed) + j.DatedRules.Count(r => r.Citation.Unconfirmed)
                        + j.Sets.SelectMany(s => s.Members).Count(m => m.Citation.Unconfirmed);
                    Console.WriteLine($"{j.Source.File}: {j.Id} ok: {j.Items.Count} items, {j.Sets.Count} country sets, {j.Requirements.Count} requirement rules, {j.Licenses.Count} licence types, {j.Scope.Count} scope rules, {j.Reviews.Count} review rules; {unconfirmed} unconfirmed facts flagged");
                }

                Console.WriteLine($"content version {content.Version}");
                return 0;
            }
            catch (ContentValidationException e)
            {
                foreach (var error in e.Errors)
                {
                    Console.Error.WriteLine(error.ToString());
                }

                return ExitCodes.Failed;
            }
        });
        var command = new Command("content", "Regulatory content files.");
        command.Subcommands.Add(validate);
        return command;
    }
}
