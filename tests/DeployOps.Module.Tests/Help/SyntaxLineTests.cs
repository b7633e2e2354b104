using DeployOps.HelpCompiler;
using Xunit;

namespace DeployOps.Module.Tests.Help;

/// <summary>Syntax lines as PowerShell writes them, and the check of a written line against the metadata.</summary>
public class SyntaxLineTests
{
    private static ParameterMetadata Metadata(bool required, int? position) =>
        new("String", [ParameterMetadata.AllSets], [], required, position, "None", PipelineInput.None, false, 1);

    private static ParameterHelp Parameter(string type) => new("Name", ["The name."], [Metadata(false, null) with { Type = type }], 1);

    [Theory]
    [InlineData(true, 0, "[-Name] <String>")]
    [InlineData(false, 1, "[[-Name] <String>]")]
    [InlineData(true, null, "-Name <String>")]
    [InlineData(false, null, "[-Name <String>]")]
    public void EachKindOfParameterIsWrittenAsPowerShellWritesIt(bool required, int? position, string expected) =>
        Assert.Equal(expected, SyntaxLine.Element(Parameter("String"), Metadata(required, position)));

    [Theory]
    [InlineData(false, "[-Name]")]
    [InlineData(true, "-Name")]
    public void ASwitchHasNoValue(bool required, string expected) =>
        Assert.Equal(expected, SyntaxLine.Element(Parameter("SwitchParameter"), Metadata(required, null)));

    [Fact]
    public void PositionalParametersComeFirstThenTheDocumentOrder() =>
        Assert.Equal("Get-Thing [-Name] <String> [-Force] [-Region <String>] [<CommonParameters>]", SyntaxLine.Render(SampleHelp.Help, "ByName"));

    [Fact]
    public void AWrittenLineMayOrderItsParametersFreelyAndWrapAnywhere()
    {
        var help = SampleHelp.Help;
        var syntax = help.Syntax[0] with { Text = "Get-Thing [-Region <String>]\n    [-Name] <String>   [-Force] [<CommonParameters>]" };
        Assert.Null(SyntaxLine.Problem(help, syntax));
    }

    [Fact]
    public void AParameterWrittenTwiceIsAProblem()
    {
        var help = SampleHelp.Help;
        var syntax = help.Syntax[0] with { Text = "Get-Thing [-Name] <String> [-Force] [-Force] [-Region <String>] [<CommonParameters>]" };
        Assert.Contains("a parameter is written twice", SyntaxLine.Problem(help, syntax));
    }
}
