using System.Globalization;
using Clearance.Evaluation;

namespace Clearance.Application;

/// <summary>An impact report's words for people, the same on the terminal and in the HTML report.</summary>
public static class ImpactText
{
    /// <summary>
    /// The change in a few words: the verdict's move (<c>no-license-required → license-required</c>), or, when the verdict
    /// stays, the licence types lost or gained (<c>loses general-bulk</c>).
    /// </summary>
    public static string WhatChanges(ImpactLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var (before, after) = (line.Before.Determination, line.After.Determination);
        if (before.Verdict != after.Verdict)
        {
            return $"{Determination.Name(before.Verdict)} → {Determination.Name(after.Verdict)}";
        }

        var lost = before.EligibleLicenses.Except(after.EligibleLicenses, StringComparer.Ordinal).ToList();
        var gained = after.EligibleLicenses.Except(before.EligibleLicenses, StringComparer.Ordinal).ToList();
        return string.Join("; ", new[] { lost.Count > 0 ? "loses " + string.Join(", ", lost) : null, gained.Count > 0 ? "gains " + string.Join(", ", gained) : null }.OfType<string>())
            is { Length: > 0 } text ? text : $"review {before.ReviewDays} → {after.ReviewDays} days";
    }

    /// <summary><c>1,200.00 USD; 30,000 JPY</c>, or a dash.</summary>
    public static string Values(IReadOnlyDictionary<string, decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count == 0 ? "–" : string.Join("; ", values.Select(v => $"{Amount(v.Value)} {v.Key}"));
    }

    /// <summary><c>1,200.5</c>: thousands separated, at most two decimals.</summary>
    public static string Amount(decimal amount) => amount.ToString("#,0.##", CultureInfo.InvariantCulture);
}
