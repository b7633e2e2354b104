namespace DeployOps.Operations;

/// <summary>
/// A change a runbook has planned and not made yet: what the cmdlet's ShouldProcess shows (-WhatIf, -Confirm) before the
/// runbook applies it. Every change DeployOps makes comes from a plan, so every prompt reads the same way.
/// </summary>
public interface IChangePlan
{
    /// <summary>The resource the change is made to, e.g. "ECS service api in cluster web-dev".</summary>
    string ShouldProcessTarget { get; }

    /// <summary>What is done to it, e.g. "Force a new deployment".</summary>
    string ShouldProcessAction { get; }
}
