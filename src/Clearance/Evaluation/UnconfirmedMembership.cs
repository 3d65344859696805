using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>One membership record no source confirms (a country in a table or group, or the date it joined).</summary>
/// <param name="Set">The set's index in <see cref="Jurisdiction.Sets"/>.</param>
/// <param name="Member">The membership record.</param>
/// <param name="Shown">
/// The dates whose answers rest on it: its period, and, for the country's first record in the set, every day before
/// it too (before a flagged start the country is out of the set only if the start is right: South Sudan's suspect
/// addition to Japan's Appended Table 3-2 on 2019-04-12).
/// </param>
internal sealed record UnconfirmedMembership(int Set, Membership Member, Period Shown)
{
    /// <summary>Whether an answer for <paramref name="destination"/> on <paramref name="date"/> rests on the record.</summary>
    public bool Concerns(Jurisdiction j, CountryCode destination, LocalDate date) =>
        Member.Country == destination && Shown.Contains(date) && j.Sets[Set].Existence.Contains(date);

    /// <summary>The line of a determination's <c>unconfirmed</c> list: the country and set (as <c>rules diff</c> names a membership), and the note.</summary>
    public string Text(Jurisdiction j) => $"{Member.Country} {j.Sets[Set].Id}: {Member.Citation.Note ?? "membership unconfirmed"}";

    /// <summary>Every unconfirmed membership record of <paramref name="j"/>, in set and member order (the order both evaluators index).</summary>
    public static IReadOnlyList<UnconfirmedMembership> Of(Jurisdiction j)
    {
        var list = new List<UnconfirmedMembership>();
        for (var s = 0; s < j.Sets.Count; s++)
        {
            var members = j.Sets[s].Members;
            foreach (var m in members.Where(m => m.Citation.Unconfirmed))
            {
                var first = !members.Any(other => other.Country == m.Country && other.Period.From < m.Period.From);
                list.Add(new UnconfirmedMembership(s, m, first ? new Period(LocalDate.MinIsoValue, m.Period.To) : m.Period));
            }
        }

        return list;
    }
}
