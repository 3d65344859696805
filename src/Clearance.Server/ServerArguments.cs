namespace Clearance.Server;

/// <summary>
/// The command line of <c>clearance-server</c>: the options of <c>clearance serve</c> as the native CLI passes them on
/// (<c>--urls</c> and <c>--db</c> each followed by its value, <c>--verbose</c>), each at most once. Strict: anything else is
/// refused, since the only caller is the CLI, which has checked the user's command line already.
/// </summary>
public sealed record ServerArguments(ServerSettings Settings, bool Verbose)
{
    /// <summary>What the command line may hold.</summary>
    public const string Usage = "[--urls URLS] [--db DATABASE] [--verbose]";

    /// <summary>The command line for <paramref name="settings"/>: what <see cref="Parse"/> reads back as the same settings.</summary>
    public static IReadOnlyList<string> Format(ServerSettings settings, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(settings);
        List<string> args = ["--urls", settings.Urls];
        if (settings.Database is { } database)
            args.AddRange(["--db", database]);
        if (verbose)
            args.Add("--verbose");
        return args;
    }

    /// <summary>The arguments, or null when they are not of the form <see cref="Usage"/>.</summary>
    public static ServerArguments? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? urls = null, database = null;
        var verbose = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--urls" when urls is null && i + 1 < args.Count:
                    urls = args[++i];
                    break;
                case "--db" when database is null && i + 1 < args.Count:
                    database = args[++i];
                    break;
                case "--verbose" when !verbose:
                    verbose = true;
                    break;
                default:
                    return null;
            }
        }

        return new ServerArguments(new ServerSettings { Urls = urls ?? ServerSettings.DefaultUrls, Database = database }, verbose);
    }
}
