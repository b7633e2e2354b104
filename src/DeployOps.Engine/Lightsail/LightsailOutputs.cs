using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Lightsail;
using DeployOps.Errors;
using DeployOps.Operations;
using DeployOps.Verification;

namespace DeployOps.Lightsail;

/// <summary>One container of a Lightsail deployment as DeployOps shows it: its image, the NAMES of its variables, its ports.</summary>
public sealed class LightsailContainerInfo
{
    public string Name { get; init; } = "";

    public string Image { get; init; } = "";

    /// <summary>The variable names, sorted; values are never shown.</summary>
    public PrintableList<string> EnvironmentNames { get; init; } = PrintableList<string>.Empty;

    /// <summary>"3697/HTTP" for each port.</summary>
    public PrintableList<string> Ports { get; init; } = PrintableList<string>.Empty;

    internal static LightsailContainerInfo Of(string name, LightsailContainer container) => new()
    {
        Name = name,
        Image = container.Image,
        EnvironmentNames = container.Environment.Keys.OrderBy(k => k, StringComparer.Ordinal).ToPrintableList(),
        Ports = container.Ports.Select(p => $"{p.Key}/{p.Value}").ToPrintableList(),
    };

    public override string ToString() => $"{Name}: {Image}";
}

/// <summary>A deployment of a Lightsail container service (Get-LightsailDeployment): version, state, images, variable names, health check.</summary>
public sealed class LightsailDeploymentInfo
{
    public string ServiceName { get; init; } = "";

    public int Version { get; init; }

    /// <summary>ACTIVATING, ACTIVE, INACTIVE or FAILED.</summary>
    public string State { get; init; } = "";

    /// <summary>True for the ACTIVE deployment (the service's current one).</summary>
    public bool IsCurrent => State == LightsailDeploymentState.Active;

    /// <summary>The image of the container the public endpoint serves (else the first container's).</summary>
    public string Image { get; init; } = "";

    public PrintableList<LightsailContainerInfo> Containers { get; init; } = PrintableList<LightsailContainerInfo>.Empty;

    /// <summary>The served container's variable names (every container's: see <see cref="Containers"/>).</summary>
    public PrintableList<string> EnvironmentNames { get; init; } = PrintableList<string>.Empty;

    /// <summary>"api:3697", or null without a public endpoint.</summary>
    public string? PublicEndpoint { get; init; }

    /// <summary>The health check's path (Lightsail's default / when none is set).</summary>
    public string? HealthCheckPath { get; init; }

    /// <summary>The whole health check, defaults filled in: "path /health/ready, healthy 2, unhealthy 2, timeout 2 s, interval 5 s, codes 200-499".</summary>
    public string? HealthCheck { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    internal static LightsailDeploymentInfo Of(string serviceName, LightsailDeployment deployment, Aws.AwsSession session)
    {
        var served = LightsailSpecifications.ServedContainer(deployment.Specification);
        var check = deployment.PublicEndpoint?.HealthCheck;
        return new LightsailDeploymentInfo
        {
            ServiceName = serviceName,
            Version = deployment.Version,
            State = deployment.State,
            Image = served is null ? "" : deployment.Containers[served].Image,
            Containers = deployment.Containers.Select(c => LightsailContainerInfo.Of(c.Key, c.Value)).ToPrintableList(),
            EnvironmentNames = served is null ? PrintableList<string>.Empty : deployment.Containers[served].Environment.Keys.OrderBy(k => k, StringComparer.Ordinal).ToPrintableList(),
            PublicEndpoint = deployment.PublicEndpoint is { } endpoint ? $"{endpoint.ContainerName}:{endpoint.ContainerPort}" : null,
            HealthCheckPath = check?.Effective.Path,
            HealthCheck = check?.ToString(),
            CreatedAt = deployment.CreatedAt,
            Region = session.Region.Name,
            EndpointUrl = session.EndpointUrl,
            ProfileName = session.ProfileName,
        };
    }

    public override string ToString() => $"{ServiceName} v{Version} {State} {Image}";
}

/// <summary>A Lightsail container service's capacity and state (Set-LightsailContainerService).</summary>
public sealed class LightsailServiceInfo
{
    public string ServiceName { get; init; } = "";

    /// <summary>PENDING, READY, DEPLOYING, RUNNING, UPDATING, DELETING or DISABLED.</summary>
    public string State { get; init; } = "";

    /// <summary>The state detail's code and message, while PENDING, DEPLOYING or UPDATING.</summary>
    public string? StateDetail { get; init; }

    public string? Power { get; init; }

    public int Scale { get; init; }

    public bool IsDisabled { get; init; }

    public string? Url { get; init; }

    public int? CurrentVersion { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    internal static LightsailServiceInfo Of(LightsailContainerService service, Aws.AwsSession session) => new()
    {
        ServiceName = service.Name,
        State = service.State,
        StateDetail = service.StateDetail?.ToString(),
        Power = service.Power,
        Scale = service.Scale,
        IsDisabled = service.IsDisabled,
        Url = service.Url,
        CurrentVersion = service.CurrentDeployment?.Version,
        Region = session.Region.Name,
        EndpointUrl = session.EndpointUrl,
        ProfileName = session.ProfileName,
    };

    public override string ToString() => $"{ServiceName} {State} scale {Scale} ({Power})";
}

/// <summary>
/// What a new deployment changes against the ACTIVE one (Publish-LightsailDeployment -WhatIf): the image, the variable
/// NAMES added, removed and changed (values compared, never shown), and the health-check settings that change.
/// </summary>
public sealed class LightsailDeploymentDiff
{
    public string ServiceName { get; init; } = "";

    /// <summary>The ACTIVE version the new deployment starts from.</summary>
    public int FromVersion { get; init; }

    public string Container { get; init; } = "";

    public string ImageFrom { get; init; } = "";

    public string ImageTo { get; init; } = "";

    public PrintableList<string> VariablesAdded { get; init; } = PrintableList<string>.Empty;

    public PrintableList<string> VariablesRemoved { get; init; } = PrintableList<string>.Empty;

    /// <summary>Variables set to a different value (the values are never shown).</summary>
    public PrintableList<string> VariablesChanged { get; init; } = PrintableList<string>.Empty;

    /// <summary>"path /health/live -> /health/ready" for each health-check setting that changes.</summary>
    public PrintableList<string> HealthCheckChanges { get; init; } = PrintableList<string>.Empty;

    public bool ImageChanges => ImageFrom != ImageTo;

    /// <summary>True when the new deployment differs from the ACTIVE one at all.</summary>
    public bool HasChanges => ImageChanges || VariablesAdded.Count + VariablesRemoved.Count + VariablesChanged.Count + HealthCheckChanges.Count > 0;

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    /// <summary>One line: "image :api.x.162 -> :api.x.165; variables added AI_MAX_TOKENS_INPUT; health check path /health/live -> /health/ready".</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string> { ImageChanges ? $"image {ImageFrom} -> {ImageTo}" : $"image {ImageTo} (unchanged)" };
            AddIf(parts, "variables added", VariablesAdded);
            AddIf(parts, "variables removed", VariablesRemoved);
            AddIf(parts, "variables changed", VariablesChanged);
            AddIf(parts, "health check", HealthCheckChanges);
            return string.Join("; ", parts);
        }
    }

    public override string ToString() => $"{ServiceName} v{FromVersion} -> new: {Summary}";

    private static void AddIf(List<string> parts, string label, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
        {
            parts.Add($"{label} {string.Join(", ", items)}");
        }
    }
}

/// <summary>How a deployment DeployOps made ended.</summary>
public enum LightsailDeploymentOutcome
{
    /// <summary>Started; not waited for.</summary>
    Started,

    /// <summary>ACTIVE (a rollback waited for; no verification asked).</summary>
    Active,

    /// <summary>ACTIVE and it passed the verification (recorded in the journal).</summary>
    Verified,

    /// <summary>ACTIVE but it failed the verification.</summary>
    VerificationFailed,

    /// <summary>It failed the verification and the previous specification was deployed again (-RollbackOnFailure).</summary>
    RolledBack,

    /// <summary>FAILED (Lightsail kept the previous deployment ACTIVE).</summary>
    Failed,

    /// <summary>Another deployment replaced it before it became ACTIVE.</summary>
    Replaced,

    /// <summary>The timeout passed first.</summary>
    TimedOut,
}

/// <summary>The result of Publish-LightsailDeployment or Invoke-LightsailRollback: the deployment made and how it ended.</summary>
public sealed class LightsailDeploymentResult
{
    public string ServiceName { get; init; } = "";

    /// <summary>Publish or Rollback.</summary>
    public string Action { get; init; } = "";

    /// <summary>The new deployment's version.</summary>
    public int Version { get; init; }

    /// <summary>The version that was ACTIVE before.</summary>
    public int PreviousVersion { get; init; }

    /// <summary>The version whose specification was deployed again (a rollback, or -RollbackOnFailure), else null.</summary>
    public int? RestoredVersion { get; init; }

    /// <summary>The served container's image in the new deployment.</summary>
    public string Image { get; init; } = "";

    /// <summary>A <see cref="LightsailDeploymentOutcome"/> name.</summary>
    public string Outcome => OutcomeKind.ToString();

    internal LightsailDeploymentOutcome OutcomeKind { get; init; }

    public bool Succeeded => OutcomeKind is LightsailDeploymentOutcome.Started or LightsailDeploymentOutcome.Active or LightsailDeploymentOutcome.Verified;

    /// <summary>Why it ended so, in words.</summary>
    public string Reason { get; init; } = "";

    /// <summary>The last state detail seen while it activated, e.g. "EVALUATING_HEALTH_CHECK: ...".</summary>
    public string? StateDetail { get; init; }

    /// <summary>For a deployment that FAILED: the container log lines that say why (redacted).</summary>
    public PrintableList<string> LogLines { get; init; } = PrintableList<string>.Empty;

    /// <summary>The verification of the new deployment (Publish), or null.</summary>
    public DeploymentVerificationResult? Verification { get; init; }

    /// <summary>When DeployOps first saw it ACTIVE, or null.</summary>
    public DateTimeOffset? ActiveAt { get; init; }

    public TimeSpan Elapsed { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public string Region { get; init; } = "";

    public string? EndpointUrl { get; init; }

    public string? ProfileName { get; init; }

    /// <summary>What a publish or rollback writes: this result, then an error when it did not succeed.</summary>
    public IReadOnlyList<ItemOutcome<object>> Outcomes() => ToError() is { } error
        ? new[] { ItemOutcome<object>.Success(this), ItemOutcome<object>.Failure(error) }
        : new[] { ItemOutcome<object>.Success(this) };

    /// <summary>The error for an outcome that is not a success (null for one that is).</summary>
    public DeployOpsError? ToError()
    {
        var logs = LogLines.Count == 0 ? "" : $" Container log: {string.Join(" | ", LogLines)}";
        return OutcomeKind switch
        {
            LightsailDeploymentOutcome.Failed => new DeployOpsError(ErrorIds.DeploymentFailed, DeployOpsErrorKind.DeploymentFailed,
                $"Deployment {Version} of container service {ServiceName} FAILED: {Reason}" + (StateDetail is null ? "" : $" (last state detail: {StateDetail})") + $"; version {PreviousVersion} is still ACTIVE.{logs}", ServiceName)
            {
                RecommendedAction = "Fix what the log says (a missing variable, a dependency), then publish again; Get-LightsailDeployment shows the versions.",
            },
            LightsailDeploymentOutcome.Replaced => new DeployOpsError(ErrorIds.DeploymentRolledBack, DeployOpsErrorKind.DeploymentFailed,
                $"Deployment {Version} of container service {ServiceName} did not stay: {Reason}", ServiceName),
            LightsailDeploymentOutcome.TimedOut => new DeployOpsError(ErrorIds.DeploymentWaitTimedOut, DeployOpsErrorKind.OperationTimeout,
                $"Deployment {Version} of container service {ServiceName} did not finish in {Elapsed.TotalSeconds:0} s: {Reason}", ServiceName),
            LightsailDeploymentOutcome.VerificationFailed or LightsailDeploymentOutcome.RolledBack => Verification?.ToError() is { } failed
                ? new DeployOpsError(failed.ErrorId, failed.Kind, OutcomeKind == LightsailDeploymentOutcome.RolledBack ? $"{failed.Message} {Reason}" : failed.Message, ServiceName)
                {
                    RecommendedAction = OutcomeKind == LightsailDeploymentOutcome.RolledBack
                        ? "Fix what failed, then publish again."
                        : failed.RecommendedAction + " Or roll back: Invoke-LightsailRollback -ServiceName " + ServiceName,
                }
                : null,
            _ => null,
        };
    }

    public override string ToString() => $"{ServiceName} v{Version} {Outcome}: {Reason}";
}
