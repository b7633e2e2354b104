using System.Management.Automation;
using DeployOps.Networking;

namespace DeployOps.Commands;

/// <summary>
/// Test-VpcNetwork: runbook 004 "NAT gateway connectivity failures" and "VPC flow logs not capturing traffic" for one VPC:
/// NAT gateways (state, failure code), route tables whose 0.0.0.0/0 goes nowhere or to a failed NAT gateway, the internet
/// gateway's attachment, VPC endpoints, and flow logs (ACTIVE, delivering, the log group there). Changes nothing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "VpcNetwork")]
[OutputType(typeof(VpcNetworkReport))]
public sealed class TestVpcNetworkCommand : DeployOpsAwsCmdlet
{
    /// <summary>-VpcId: the VPC to check, e.g. terraform output -raw vpc_id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string VpcId { get; set; } = string.Empty;

    /// <summary>Checks the VPC and writes its report.</summary>
    protected override void ProcessRecord()
    {
        var inspector = new VpcNetworkInspector(Facts);
        if (TryRunEngine(token => inspector.InspectAsync(VpcId, token), VpcId, out var report))
        {
            WriteObject(report);
        }
    }
}
