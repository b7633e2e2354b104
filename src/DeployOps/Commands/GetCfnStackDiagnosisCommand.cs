using System.Management.Automation;
using DeployOps.Commands.Completion;
using DeployOps.Stacks;

namespace DeployOps.Commands;

/// <summary>
/// Get-CfnStackDiagnosis: runbook 001's "CloudFormation stack stuck" and "RDS creation timeout" diagnosis of one stack:
/// status and time in it, time since the last event, resources in progress against their usual durations, the root
/// cause (the first failure), what RDS, ECS or a custom resource's function says about the stuck resources, and the
/// legal next actions as exact commands.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CfnStackDiagnosis")]
[OutputType(typeof(CfnStackDiagnosis))]
public sealed class GetCfnStackDiagnosisCommand : DeploymentStoreAwsCmdlet
{
    /// <summary>-StackName: the stack's name or id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StackNameCompleter))]
    public string StackName { get; set; } = string.Empty;

    /// <summary>Diagnoses the stack and writes the report.</summary>
    protected override void ProcessRecord()
    {
        var diagnoser = new StackDiagnoser(Facts);
        if (TryRunEngine(token => diagnoser.DiagnoseAsync(new StackDiagnosisRequest { StackName = StackName, Store = Store }, token), StackName, out var diagnosis))
        {
            WriteObject(diagnosis);
        }
    }
}
