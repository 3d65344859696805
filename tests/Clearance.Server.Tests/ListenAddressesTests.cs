namespace Clearance.Server.Tests;

/// <summary>What <c>--urls</c> takes: addresses of the form Kestrel documents; else one line naming the address at fault.</summary>
public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData(ServerSettings.DefaultUrls)]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://[::]:5080/")]
    [InlineData("https://localhost:5443")]
    [InlineData("HTTP://clearance.internal:5080")]
    [InlineData("http://localhost")]
    [InlineData("http://10.0.0.11:5080; http://127.0.0.1:5080;")]
    [InlineData("http://unix:/run/clearance.sock")]
    public void Problem_AnAddressToListenOn_Null(string urls)
    {
        Assert.Null(ListenAddresses.Problem(urls));
    }

    [Theory]
    [InlineData("notaurl", "'notaurl' is not an address to listen on")]
    [InlineData("127.0.0.1:5080", "'127.0.0.1:5080' is not an address to listen on")]
    [InlineData("http://:abc", "'http://:abc' has no host Kestrel can listen on")]
    [InlineData("http://:5080", "'http://:5080' has no host Kestrel can listen on")]
    [InlineData("http://exa mple:5080", "'http://exa mple:5080' has no host Kestrel can listen on")]
    [InlineData("http://user@host:5080", "'http://user@host:5080' has no host Kestrel can listen on")]
    [InlineData("http://[::1:5080", "'http://[::1:5080' is not an address to listen on")]
    [InlineData("http://[127.0.0.1]:5080", "'http://[127.0.0.1]:5080' is not an address to listen on")]
    [InlineData("ftp://x", "'ftp://x' is not an http:// or https:// address")]
    [InlineData("http://127.0.0.1:5080;ftp://y", "'ftp://y' is not an http:// or https:// address")]
    [InlineData("http://127.0.0.1:99999", "'http://127.0.0.1:99999': the port '99999' is not a number from 0 to 65535")]
    [InlineData("http://127.0.0.1:-1", "'http://127.0.0.1:-1': the port '-1' is not a number from 0 to 65535")]
    [InlineData("http://127.0.0.1:", "'http://127.0.0.1:': the port '' is not a number from 0 to 65535")]
    [InlineData("http://127.0.0.1:5080/base", "'http://127.0.0.1:5080/base' has a path, which Kestrel does not take")]
    [InlineData("http://127.0.0.1:5080?a=1", "'http://127.0.0.1:5080?a=1' has a path, which Kestrel does not take")]
    public void Problem_Malformed_NamesTheAddressAndTheForm(string urls, string problem)
    {
        Assert.Equal(problem + "; give http://HOST:PORT, e.g. http://127.0.0.1:5080", ListenAddresses.Problem(urls));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ; ")]
    public void Problem_NoAddress_SaysSo(string urls)
    {
        Assert.Equal($"'{urls}' holds no address; give http://HOST:PORT, e.g. http://127.0.0.1:5080 (several separated by ';')", ListenAddresses.Problem(urls));
    }

    [Fact]
    public void Problem_UnixSocketWithoutPath_AsksForOne()
    {
        Assert.Equal("'http://unix:/' names no socket file; give http://unix:/PATH", ListenAddresses.Problem("http://unix:/"));
    }

    [Fact]
    public void Problem_AnyFreePortOfLocalhost_AsksForAnIPAddress()
    {
        // Kestrel refuses port 0 for a name that means two addresses (127.0.0.1 and [::1]) only when it binds.
        Assert.Equal("'http://localhost:0': port 0 (any free port) needs an IP address, such as http://127.0.0.1:0", ListenAddresses.Problem("http://localhost:0"));
    }

    [Fact]
    public void Problem_LongValue_QuotesAtMost200Characters()
    {
        var urls = "http://" + new string('a', 300) + "/";

        Assert.StartsWith($"'{urls[..200]}…' has a path", ListenAddresses.Problem(urls + "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void Split_SpacesAndEmptyEntries_TheAddressesAsKestrelTakesThem()
    {
        Assert.Equal(["http://10.0.0.11:5080", "http://127.0.0.1:5080"], ListenAddresses.Split(" http://10.0.0.11:5080 ;;http://127.0.0.1:5080; "));
    }
}
