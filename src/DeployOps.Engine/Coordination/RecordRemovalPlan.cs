using DeployOps.Operations;

namespace DeployOps.Coordination;

/// <summary>Removing one record from the registry (runbook 001's cleanup), as ShouldProcess shows it.</summary>
public sealed class RecordRemovalPlan : IChangePlan
{
    public RecordRemovalPlan(string registryPath, string correlationId, string? why)
    {
        RegistryPath = registryPath;
        CorrelationId = correlationId;
        Why = why;
    }

    public string RegistryPath { get; }

    public string CorrelationId { get; }

    /// <summary>Why it goes, e.g. "stack lightwave-dev-app is CREATE_COMPLETE since ..."; null when asked by id.</summary>
    public string? Why { get; }

    public string ShouldProcessTarget => $"deployment {CorrelationId} in {RegistryPath}";

    public string ShouldProcessAction => $"Remove the record (cleanup {CorrelationId}){(Why is null ? "" : ": " + Why)}";
}
