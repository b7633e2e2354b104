using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// Get-DeploymentEstimate: a running stack's remaining time as a range, from deployment-history.json (the sum over the
/// resources not yet complete of their type's usual duration, scaled by how much the stack's operations run in
/// parallel), tightening as resources finish, with the estimates' accuracy on the history.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DeploymentEstimate")]
[OutputType(typeof(CfnDeploymentEstimate))]
public sealed class GetDeploymentEstimateCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-StackName: the stack's name or id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>Estimates and writes the estimate.</summary>
    protected override void ProcessRecord()
    {
        var estimator = new StackEstimator(Facts);
        var store = Store;
        if (TryRunEngine(token => estimator.EstimateAsync(StackName, store, token), StackName, out var estimate))
        {
            WriteObject(estimate);
        }
    }
}
