using NodaTime;

namespace Clearance.Application;

/// <summary>
/// A window of days for a long timeline, half-open as every period of the content: a change dated <see cref="Since"/>
/// is in it, one dated <see cref="Until"/> is not, so that two windows that meet (<c>--until 2024-01-01</c>, then
/// <c>--since 2024-01-01</c>) show each change once. Either end may be open.
/// </summary>
/// <param name="Since">The first day in the window, or null for no start.</param>
/// <param name="Until">The first day after the window, or null for no end.</param>
public sealed record DateWindow(LocalDate? Since, LocalDate? Until)
{
    /// <summary>No window: every day.</summary>
    public static readonly DateWindow All = new(null, null);

    /// <summary>Whether neither end is given.</summary>
    public bool IsAll => Since is null && Until is null;

    /// <summary>
    /// The window from the <paramref name="since"/> and <paramref name="until"/> a front end received (either may be
    /// absent); a value that is not a date, or an end that is not after the start, throws naming the input.
    /// </summary>
    public static DateWindow Parse(Input? since, Input? until)
    {
        LocalDate? first = since is { } s ? RulesQueries.ParseDate(s) : null;
        LocalDate? end = until is { } u ? RulesQueries.ParseDate(u) : null;
        if (first is { } a && end is { } b && b <= a)
        {
            throw new RulesQueryException($"{until!.Value.Name}: {RulesQueries.Iso(b)} is not after {since!.Value.Name} {RulesQueries.Iso(a)}: "
                + $"the window is the days from {since.Value.Name} up to but not including {until.Value.Name}");
        }

        return new DateWindow(first, end);
    }

    /// <summary>
    /// The window from its first and last days, both included (the timeline page's former <c>from</c> and <c>to</c>,
    /// kept for the links written with them); a last day before the first throws naming both.
    /// </summary>
    public static DateWindow ParseDays(Input? first, Input? last)
    {
        LocalDate? from = first is { } f ? RulesQueries.ParseDate(f) : null;
        LocalDate? to = last is { } l ? RulesQueries.ParseDate(l) : null;
        if (from is { } a && to is { } b && b < a)
        {
            throw new RulesQueryException($"{last!.Value.Name}: {RulesQueries.Iso(b)} is before {first!.Value.Name} {RulesQueries.Iso(a)}");
        }

        return new DateWindow(from, to?.PlusDays(1));
    }

    /// <summary>Whether <paramref name="date"/> (a change's) is in the window: on or after <see cref="Since"/>, before <see cref="Until"/>.</summary>
    public bool Contains(LocalDate date) => (Since is not { } since || date >= since) && (Until is not { } until || date < until);

    /// <summary>Whether the half-open <paramref name="period"/> has a day in the window.</summary>
    public bool Overlaps(Period period) =>
        (Until is not { } until || period.From < until) && (Since is not { } since || period.To is not { } to || to > since);

    /// <summary>For people: <c>from 1 Jan 2024</c>, <c>before 1 Jan 2025</c>, <c>1 Jan 2024 – 31 Dec 2024 (last day)</c>.</summary>
    public override string ToString() => (Since, Until) switch
    {
        (null, null) => "every day",
        ({ } since, null) => $"from {DateText.Date(since)}",
        (null, { } until) => $"before {DateText.Date(until)}",
        ({ } since, { } until) => DateText.Period(new Period(since, until)),
    };
}
