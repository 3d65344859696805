namespace Clearance.Cli.Tests;

public sealed class CliErrorsTests
{
    [Fact]
    public void ReportUnexpected_OneLineWithoutTraceUnlessVerbose()
    {
        Exception error;
        try
        {
            throw new InvalidOperationException("the index is\nbroken");
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }

        var quiet = new StringWriter();
        var verbose = new StringWriter();
        int quietCode = CliErrors.ReportUnexpected(error, quiet, verbose: false);
        int verboseCode = CliErrors.ReportUnexpected(error, verbose, verbose: true);

        Assert.Equal(70, quietCode);
        Assert.Equal(70, verboseCode);
        if (Environment.GetEnvironmentVariable(CliErrors.TraceVariable) is null)
        {
            Assert.Equal("error: the index is broken" + Environment.NewLine, quiet.ToString());
        }

        Assert.StartsWith("error: the index is broken" + Environment.NewLine, verbose.ToString());
        Assert.Contains(" at ", verbose.ToString());
    }

    [Fact]
    public void Visible_ControlCharactersBecomeEscapes()
    {
        Assert.Equal("A\\u001b[31mB\\u0007\\u202e\\u009b", TerminalText.Visible("A\u001b[31mB\u0007\u202E\u009B"));
        Assert.Equal("Müller 株式会社", TerminalText.Visible("Müller 株式会社"));
        Assert.Equal("[[x]]\\u001b", TerminalText.Markup("[x]\u001b"));
    }
}
