using NodaTime;

namespace Clearance;

/// <summary>
/// Non-overlapping periods sorted by start, looked up by binary search. Built through <see cref="Create"/>,
/// which rejects overlaps, so that "which period is in force on this date" has at most one answer.
/// </summary>
public sealed class PeriodIndex
{
    private readonly Period[] _periods;

    private PeriodIndex(Period[] periods) => _periods = periods;

    /// <summary>The periods, sorted by start.</summary>
    public IReadOnlyList<Period> Periods => _periods;

    /// <summary>Sorts the periods and checks that no two overlap.</summary>
    /// <returns>The index, or the first pair that overlaps.</returns>
    public static (PeriodIndex? Index, (Period First, Period Second)? Overlap) Create(IEnumerable<Period> periods)
    {
        var sorted = periods.OrderBy(p => p.From).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Overlaps(sorted[i]))
            {
                return (null, (sorted[i - 1], sorted[i]));
            }
        }

        return (new PeriodIndex(sorted), null);
    }

    /// <summary>The period in force on <paramref name="date"/>, if any (binary search over starts).</summary>
    public Period? Find(LocalDate date)
    {
        int lo = 0, hi = _periods.Length - 1, candidate = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_periods[mid].From <= date)
            {
                candidate = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return candidate >= 0 && _periods[candidate].Contains(date) ? _periods[candidate] : null;
    }

    /// <summary>Whether some period is in force on <paramref name="date"/>.</summary>
    public bool Contains(LocalDate date) => Find(date) is not null;
}
