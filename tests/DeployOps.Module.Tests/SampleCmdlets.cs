using System.Management.Automation;

// Cmdlet classes for AssemblyReaderTests: the reader reads this test assembly the way it reads
// bin/DeployOps.dll, so it is proven on real metadata before the module has any cmdlet.
namespace DeployOps.Commands
{
    public abstract class SampleCmdletBase : PSCmdlet
    {
        [Parameter]
        public string? Region { get; set; }
    }

    [Cmdlet(VerbsDiagnostic.Test, "SampleDeployment", DefaultParameterSetName = "ByName", SupportsShouldProcess = true)]
    [OutputType(typeof(SampleReport))]
    public sealed class TestSampleDeploymentCommand : SampleCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName", ValueFromPipeline = true)]
        [Parameter(Mandatory = true, ParameterSetName = "Other", ValueFromPipelineByPropertyName = true)]
        [Alias("SampleName", "N")]
        public string Name { get; set; } = "";

        [Parameter(Position = 1, ParameterSetName = "Other")]
        public int? Limit { get; set; }

        [Parameter]
        public string[] Tags { get; set; } = [];

        [Parameter]
        public SwitchParameter Force { get; set; }

        public string NotAParameter { get; set; } = "";
    }

    public sealed class SampleReport
    {
    }
}

namespace DeployOps.Module.Tests.Samples
{
    [Cmdlet("Fetch", "Thing")]
    public class FetchThingCmd : Cmdlet
    {
    }

    [Cmdlet(VerbsCommon.Get, "Hidden")]
    [OutputType("Some.TypeName", "Other.TypeName")]
    internal sealed class GetHiddenCommand : Cmdlet
    {
    }
}
