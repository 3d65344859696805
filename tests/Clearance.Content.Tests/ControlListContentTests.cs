using System.Text.RegularExpressions;
using Clearance.Content;
using Clearance.Model;

namespace Clearance.Content.Tests;

/// <summary>The shipped control lists (items of jp.yaml and kr.yaml): hierarchy, numbering and the reference-sheet items.</summary>
public sealed partial class ControlListContentTests
{
    private static readonly ContentSet BuiltIn = ContentLoader.LoadBuiltIn();

    // Row "3-2", item "3-2(1)", sub-numbered item "4(1-2)" (the Order's 1の2), sub-item "3(1)/2(1)(i)(he)" (the
    // Ministerial Order provision that defines it: article, paragraph, item in roman numerals, sub-item in kana).
    [GeneratedRegex(@"^\d+(-2)?(\(\d+(-\d+)?\))*(/\d+(-\d+)?(\(\d+\))?\([ivxl]+\)(\([a-z]+\))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JapanCode();

    public static TheoryData<string> Jurisdictions => new() { "JP", "KR" };

    private static IReadOnlyList<ControlEntry> ItemsOf(string jurisdiction) => BuiltIn.Find(jurisdiction)!.Items;

    [Theory]
    [MemberData(nameof(Jurisdictions))]
    public void LoadBuiltIn_EveryItemParentIsARowOrASubItemsItem(string jurisdiction)
    {
        var items = ItemsOf(jurisdiction);
        var rows = items.Where(i => i.Parent is null).Select(i => i.Code).ToHashSet(StringComparer.Ordinal);
        var byCode = items.ToDictionary(i => i.Code, StringComparer.Ordinal);

        // An item's parent is a row; a sub-item's (code with a slash) is an item whose parent is a row.
        var orphans = items.Where(i => i.Parent is not null && !rows.Contains(i.Parent)
            && !(i.Code.Contains('/', StringComparison.Ordinal) && byCode.TryGetValue(i.Parent, out var item) && item.Parent is { } row && rows.Contains(row))).Select(i => i.Code).ToList();

        Assert.Empty(orphans);
        Assert.Contains(items, i => i.Parent is not null);
    }

    [Fact]
    public void LoadBuiltIn_JapanItemCodesFollowTableNumbering()
    {
        var items = ItemsOf("JP");

        Assert.All(items, i => Assert.Matches(JapanCode(), i.Code));
        Assert.All(items.Where(i => i.Parent is not null), i => Assert.StartsWith(i.Parent + (i.Code.Contains('/', StringComparison.Ordinal) ? "/" : "("), i.Code, StringComparison.Ordinal));
        Assert.Equal(items.Count, items.Select(i => i.Code).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void LoadBuiltIn_JapanRowsOneToSixteenPresent()
    {
        string[] expected = ["1", "2", "3", "3-2", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"];

        var rows = ItemsOf("JP").Where(i => i.Parent is null).Select(i => i.Code);

        Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("3(1)", "3", "Art. 2(1)(i)")]
    [InlineData("3(1)/2(1)(i)(he)", "3(1)", "Art. 2(1)(i)(he)")]
    [InlineData("5(17)", "5", "Art. 4(xiv)")]
    [InlineData("5(17)/4(xiv)(ro)", "5(17)", "Art. 4(xiv)(ro)")]
    [InlineData("7(19)", "7", "Art. 6(xix)")]
    public void LoadBuiltIn_ReferenceSheetItemsCiteMinisterialOrder(string code, string row, string article)
    {
        var item = Assert.Single(ItemsOf("JP"), i => i.Code == code);

        Assert.Equal(row, item.Parent);
        Assert.Contains("Ministerial Order", item.Citation.Text, StringComparison.Ordinal);
        Assert.Contains(article, item.Citation.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadBuiltIn_SecondarySourcedItemsAreFlaggedWithNoteAndSource()
    {
        var flagged = ItemsOf("JP").Where(i => i.Parent is not null && i.Citation.Unconfirmed).ToList();

        Assert.NotEmpty(flagged);
        Assert.All(flagged, i => Assert.False(string.IsNullOrWhiteSpace(i.Citation.Note), i.Code));
        Assert.All(ItemsOf("JP").Where(i => i.Parent is not null), i => Assert.False(string.IsNullOrWhiteSpace(i.Citation.Url), i.Code));
    }
}
