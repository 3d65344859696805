using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

public sealed class OutcomeTextTests
{
    [Fact]
    public void Build_OutcomesDifferingOnlyInTracedRules_ShareTheAnswerEachWithItsOwnTrace()
    {
        var (firstFacts, secondFacts, us) = TwoOutcomesOneAnswer();
        var first = us.Evaluate(firstFacts);
        var second = us.Evaluate(secondFacts);

        Assert.NotEqual(us.Compute(firstFacts).Code, us.Compute(secondFacts).Code);
        Assert.Same(first.Explanation, second.Explanation);
        Assert.Same(first.Grounds, second.Grounds);
        Assert.Same(first.Unconfirmed, second.Unconfirmed);
        Assert.Same(first.LicenseConditions, second.LicenseConditions);
        Assert.Equal(["us.744.wmd-end-use"], first.Grounds.Select(g => g.Rule));
        Assert.NotEqual(Traced(first), Traced(second));

        // Each trace is its own outcome's: the one built from the reference evaluator's outcome for the same facts.
        Assert.Equal(Traced(OutcomeText.Build(us.Model, "v", ReferenceEvaluator.Compute(us.Model, firstFacts))), Traced(first));
        Assert.Equal(Traced(OutcomeText.Build(us.Model, "v", ReferenceEvaluator.Compute(us.Model, secondFacts))), Traced(second));
    }

    [Fact]
    public void EvaluateUntraced_OutcomesDifferingOnlyInTracedRules_OneDeterminationWithTheAnswerAndNoTrace()
    {
        // Two outcomes, one answer, and without the trace one determination.
        var (firstFacts, secondFacts, us) = TwoOutcomesOneAnswer();
        var first = us.EvaluateUntraced(firstFacts);
        var second = us.EvaluateUntraced(secondFacts);
        var traced = us.Evaluate(firstFacts);

        Assert.Same(first, second);
        Assert.Same(first, us.EvaluateUntraced(firstFacts));
        Assert.False(first.IsTraced);
        Assert.True(traced.IsTraced);
        // Every member but the trace is the traced determination's, by value: without the trace the answer is built on
        // its own unless a traced caller built it first (then its members are shared).
        Assert.Equal(Members(traced), Members(first));
        Assert.Throws<InvalidOperationException>(() => first.Trace.Count);
        Assert.Throws<InvalidOperationException>(() => first.Trace.FirstOrDefault());
    }

    [Fact]
    public void Explanation_BuiltOnDemandOrGivenAsString_EqualAsTheText()
    {
        // A new answer's explanation is built when read or written; the record compares it as the text, as a string member.
        var (facts, us) = Engine.Facts("US:1B102.a", "CN", "2024-03-01");
        var built = CompiledJurisdiction.Compile(us.Model, "explanation-equality").EvaluateUntraced(facts);
        var text = new System.Text.StringBuilder();

        Assert.True(built.TryWriteExplanation(text));
        var given = built with { Explanation = text.ToString() };

        Assert.NotSame(built.ExplanationIdentity(), given.ExplanationIdentity());
        Assert.True(built == given);
        Assert.Equal(built.GetHashCode(), given.GetHashCode());
        Assert.False(given.TryWriteExplanation(text.Clear()));
        Assert.Equal(0, text.Length);
        Assert.False(built == given with { Explanation = given.Explanation + "." });
        Assert.Same(built.ExplanationIdentity(), (built with { Trace = Determination.NotTraced }).ExplanationIdentity());
    }

    [Fact]
    public void Combine_OneRegimeUntraced_CombinedAnswerWithoutTrace()
    {
        var (jpFacts, jp) = Engine.Facts("JP:2(1)", "CN", "2024-03-01");
        var (usFacts, us) = Engine.Facts("US:1B102.a", "CN", "2024-03-01");

        var untraced = Determination.Combine([jp.Evaluate(jpFacts), us.EvaluateUntraced(usFacts)]);
        var traced = Determination.Combine([jp.Evaluate(jpFacts), us.Evaluate(usFacts)]);

        Assert.Same(Determination.NotTraced, untraced.Trace);
        Assert.Equal(jp.Evaluate(jpFacts).Trace.Count + us.Evaluate(usFacts).Trace.Count, traced.Trace.Count);
        Assert.Equal(traced.Explanation, untraced.Explanation);
        Assert.Equal(traced.Grounds, untraced.Grounds);
        Assert.Equal(traced.Verdict, untraced.Verdict);
    }

    [Fact]
    public void ExplainedPart_SeededUsOutcomes_KeepsTheExplainedSectionsAndEmptiesTheRest()
    {
        // What an untraced answer's explanation keeps of its outcome: the header and the sections the explanation names,
        // member for member; every other section empty (the rules excluded are counted apart).
        var us = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        Section[] explained = [Section.Grounds, Section.Maybe, Section.Denying, Section.DenyMaybe, Section.DenySubItem];
        var trimmed = 0;
        foreach (var facts in SeededUsFacts(us, 300, seed: 20261205))
        {
            var o = us.Compute(facts);
            var part = OutcomeText.ExplainedPart(o);

            Assert.Equal(o.Code.AsSpan(0, Outcome.HeaderLength).ToArray(), part.Code.AsSpan(0, Outcome.HeaderLength).ToArray());
            for (var s = 0; s < Outcome.SectionCount; s++)
            {
                var section = (Section)s;
                Assert.Equal(explained.Contains(section) ? o[section].ToArray() : [], part[section].ToArray());
            }

            trimmed += part.Code.Length < o.Code.Length ? 1 : 0;
        }

        Assert.True(trimmed > 150, $"{trimmed} of 300 outcomes trimmed");
    }

    [Fact]
    public void Explained_SeededUsOutcomesUntracedKeys_ExplainedSectionsAsExplainedPart()
    {
        // What an untraced answer's explanation reads from the key it is cached by, against the plain copy of the
        // explained sections (ExplainedPart): the same header and members of every section the explanation names, and
        // no section read past the key (the sections cut in the key are read as empty).
        var us = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var keys = new UntracedKeys(us.Model);
        Section[] explained = [Section.Grounds, Section.Denying, Section.DenyMaybe, Section.DenySubItem];
        var verdicts = new HashSet<Verdict>();
        var named = 0;
        foreach (var facts in SeededUsFacts(us, 400, seed: 20261225))
        {
            var o = us.Compute(facts);
            var reference = OutcomeText.ExplainedPart(o);
            var fromKey = UntracedKeys.Explained(keys.Of(o.Code).ToArray());

            Assert.Equal(reference.Code.AsSpan(0, Outcome.HeaderLength).ToArray(), fromKey.Code.AsSpan(0, Outcome.HeaderLength).ToArray());
            foreach (var section in explained)
            {
                Assert.Equal(reference[section].ToArray(), fromKey[section].ToArray());
            }

            // The rules that may apply are named by an indeterminate answer only (the key cuts them for the others).
            Assert.Equal(o.Verdict == Verdict.Indeterminate ? reference[Section.Maybe].ToArray() : [], fromKey[Section.Maybe].ToArray());
            Assert.Empty(fromKey[Section.ExcludedByDestination].ToArray());
            Assert.Empty(fromKey[Section.Allowing].ToArray());
            verdicts.Add(o.Verdict);
            named += reference[Section.Grounds].Length + reference[Section.DenyMaybe].Length > 0 ? 1 : 0;
        }

        Assert.Contains(Verdict.Indeterminate, verdicts);
        Assert.Contains(Verdict.LicenseRequired, verdicts);
        Assert.True(named > 100, $"{named} of 400 outcomes name rules");
    }

    [Fact]
    public void EvaluateUntraced_SeededUsAnswers_EqualListsAreOneArray()
    {
        // Answers that give the same grounds, eligible licence types or destination groups share the list (one array
        // per distinct list), while the answers themselves differ.
        var us = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var answers = SeededUsFacts(us, 300, seed: 20261206).Select(f => us.EvaluateUntraced(f)).Distinct(ReferenceEqualityComparer.Instance).Cast<Determination>().ToList();

        Assert.True(answers.Count > 100, $"{answers.Count} answers");
        foreach (var lists in new Func<Determination, System.Collections.IEnumerable>[] { d => d.Grounds, d => d.EligibleLicenses, d => d.DestinationGroups })
        {
            var byText = answers.GroupBy(d => string.Join('|', lists(d).Cast<object>())).Where(g => g.Count() > 1).ToList();
            Assert.NotEmpty(byText);
            Assert.All(byText, g => Assert.Single(g.Select(lists).Distinct(ReferenceEqualityComparer.Instance)));
        }
    }

    [Fact]
    public void EvaluateUntraced_SeededUsAnswersWithUndecidedWithdrawals_ConditionsAsTracedAndOneTablePerText()
    {
        // An answer whose only conditions are what undecided withdrawals withhold shares one table per set of them:
        // each table has the traced answer's conditions in its order (built per answer there, unless a traced answer of
        // the same key was built first), and answers with the same conditions share the table.
        var model = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")].Model;
        var untraced = CompiledJurisdiction.Compile(model, "conditions-untraced");
        var traced = CompiledJurisdiction.Compile(model, "conditions-traced");
        var pairs = SeededUsFacts(untraced, 600, seed: 20261205).Select(f => (Untraced: untraced.EvaluateUntraced(f), Traced: traced.Evaluate(f))).ToList();
        var withConditions = pairs.Where(p => p.Untraced.LicenseConditions.Count > 0).ToList();

        Assert.True(withConditions.Count > 50, $"{withConditions.Count} answers with conditions");
        Assert.All(pairs, p => Assert.Equal(p.Traced.LicenseConditions.ToList(), p.Untraced.LicenseConditions.ToList()));
        // A prohibition's table is its own (its embargo's exception may be added to it).
        var byText = withConditions.Select(p => p.Untraced).Where(d => d.Verdict != Verdict.Prohibited).Distinct(ReferenceEqualityComparer.Instance).Cast<Determination>()
            .GroupBy(d => string.Join('|', d.LicenseConditions.Select(c => $"{c.Key}={c.Value}"))).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(byText);
        Assert.All(byText, g => Assert.Single(g.Select(d => d.LicenseConditions).Distinct(ReferenceEqualityComparer.Instance)));
    }

    /// <summary>Facts of US lines drawn with the seed: any item, a few destinations, dates across the content's years, civil or WMD end use.</summary>
    [Fact]
    public void OnThread_SeededUsOutcomes_SameHeaderAndSectionsAsTheirOwnCopy()
    {
        // The thread's outcome over its reused buffer (codes of every length, in seeded order) reads as the outcome over
        // a copy of the code: the header and every section, member for member.
        var us = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var lengths = new HashSet<int>();
        foreach (var facts in SeededUsFacts(us, 300, seed: 20261207))
        {
            var copy = us.Compute(facts);
            var onThread = Outcome.OnThread(copy.Code);

            Assert.Equal(copy.Code, onThread.Code.AsSpan(0, copy.Code.Length).ToArray());
            Assert.Equal((copy.Verdict, copy.ReviewRule, copy.UnconfirmedItem, copy.PastReview, copy.BeforeListText, copy.SubjectItem),
                (onThread.Verdict, onThread.ReviewRule, onThread.UnconfirmedItem, onThread.PastReview, onThread.BeforeListText, onThread.SubjectItem));
            for (var s = 0; s < Outcome.SectionCount; s++)
            {
                Assert.Equal(copy[(Section)s].ToArray(), onThread[(Section)s].ToArray());
            }

            lengths.Add(copy.Code.Length);
        }

        Assert.True(lengths.Count > 20, $"{lengths.Count} code lengths");
    }

    [Fact]
    public void EvaluateUntraced_AnswersReadAfterOtherMisses_ExplanationOfTheirOwnOutcome()
    {
        // An untraced answer is built over the thread's outcome (Outcome.OnThread) and must keep nothing of it: read only
        // after the misses of the other answers (which rewrote the buffer), each explanation is the one built from its
        // own outcome as the reference evaluator computes it.
        var us = CompiledJurisdiction.Compile(Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")].Model, "untraced-on-thread");
        var facts = SeededUsFacts(us, 200, seed: 20261208).ToList();
        var answers = facts.Select(f => us.EvaluateUntraced(f)).ToList();

        Assert.True(answers.Distinct(ReferenceEqualityComparer.Instance).Count() > 80);
        for (var i = 0; i < facts.Count; i++)
        {
            var reference = OutcomeText.Build(us.Model, "untraced-on-thread", ReferenceEvaluator.Compute(us.Model, facts[i]));
            Assert.Equal(reference.Explanation, answers[i].Explanation);
            Assert.Equal(Members(reference), Members(answers[i]));
        }
    }

    private static IEnumerable<ShipmentFacts> SeededUsFacts(CompiledJurisdiction us, int count, int seed)
    {
        var random = new Random(seed);
        string[] destinations = ["CN", "CA", "RU", "DE", "IN", "AE", "BR", "KR", "IR", "SG"];
        var first = new NodaTime.LocalDate(2022, 1, 1);
        for (var i = 0; i < count; i++)
        {
            yield return new ShipmentFacts(first.PlusDays(random.Next(5 * 365)), random.Next(us.Model.Items.Count), CountryCode.Parse(destinations[random.Next(destinations.Length)]),
                random.Next(4) == 0 ? EndUse.Wmd : EndUse.Civil, false, EndUserStatus.Clear);
        }
    }

    /// <summary>
    /// Two ECCNs with different Country Chart columns, to Canada for a WMD end use: the columns excluded by destination
    /// differ, so the outcome codes and traces do; the answer (the WMD end-use ground) does not.
    /// </summary>
    private static (ShipmentFacts First, ShipmentFacts Second, CompiledJurisdiction Us) TwoOutcomesOneAnswer()
    {
        var (first, us) = Engine.Facts("US:1B102.a", "CA", "2022-07-13", EndUse.Wmd);
        var (second, _) = Engine.Facts("US:4A005", "CA", "2022-07-13", EndUse.Wmd);
        return (first, second, us);
    }

    /// <summary>Every member of a determination but its trace, as text.</summary>
    private static string[] Members(Determination d) =>
    [
        d.Jurisdiction, Determination.Name(d.Verdict), string.Join(',', d.EligibleLicenses), string.Join(',', d.LicenseConditions.Select(c => $"{c.Key}={c.Value}")),
        $"{d.ReviewDays}", string.Join(',', d.Grounds), string.Join(',', d.MissingFacts), string.Join(',', d.DestinationGroups), string.Join(',', d.Unconfirmed),
        d.Explanation, d.ContentVersion, string.Join(',', d.Warnings),
    ];

    private static string[] Traced(Determination d) => [.. d.Trace.Select(t => $"{t.Rule}: {t.Effect}")];
}
