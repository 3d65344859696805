using Clearance.Screening.Matching;

namespace Clearance.Benchmarks.Screening;

/// <summary>Precision, recall and F1 of the name scorer on the labelled pairs at a threshold.</summary>
internal static class PairEvaluation
{
    public static (double Precision, double Recall, double F1, int Tp, int Fp, int Fn, int Tn) Measure(
        IReadOnlyList<LabelledPair> pairs, double threshold, Action<LabelledPair, double>? onError = null)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (LabelledPair pair in pairs)
        {
            double score = PairScorer.Score(pair.Name1, pair.Name2);
            bool predicted = score >= threshold;
            if (predicted && pair.IsMatch) tp++;
            else if (predicted) { fp++; onError?.Invoke(pair, score); }
            else if (pair.IsMatch) { fn++; onError?.Invoke(pair, score); }
            else tn++;
        }

        double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1, tp, fp, fn, tn);
    }
}
