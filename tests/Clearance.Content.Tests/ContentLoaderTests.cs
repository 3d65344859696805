using Clearance.Content;
using Clearance.Model;

namespace Clearance.Content.Tests;

public sealed class ContentLoaderTests
{
    [Fact]
    public void LoadBuiltIn_ShipsJapanAndKoreaWithVersion()
    {
        var content = ContentLoader.LoadBuiltIn();

        Assert.NotNull(content.Find("JP"));
        Assert.NotNull(content.Find("KR"));
        Assert.StartsWith("sha256:", content.Version, StringComparison.Ordinal);
    }
}
