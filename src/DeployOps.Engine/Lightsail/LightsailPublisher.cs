using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Lightsail;
using DeployOps.Deployments;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Verification;

namespace DeployOps.Lightsail;

/// <summary>What Publish-LightsailDeployment asks for.</summary>
public sealed record LightsailPublishRequest
{
    public string ServiceName { get; init; } = "";

    /// <summary>The image, the container, the variables and health-check path to change; everything else stays as ACTIVE has it.</summary>
    public LightsailSpecificationChange Change { get; init; } = new();

    /// <summary>Variables the new image needs (names; <c>*</c> for any characters): checked before anything is deployed.</summary>
    public IReadOnlyList<string> RequiredEnvironment { get; init; } = Array.Empty<string>();

    /// <summary>Deploy the previous specification again when the verification fails.</summary>
    public bool RollbackOnFailure { get; init; }

    public LightsailWaitSettings Wait { get; init; } = LightsailWaitSettings.Default;

    /// <summary>What the verification expects beyond what the publish itself says (the image, the variables set).</summary>
    public VerificationExpectations Verification { get; init; } = new();

    /// <summary>Checks the values that need no AWS: the image reference, variable names, the health-check path.</summary>
    public void Validate()
    {
        var image = Change.Image;
        if (string.IsNullOrWhiteSpace(image) || image.Any(char.IsWhiteSpace) || (LightsailImageReference.IsPushed(image) && LightsailImageReference.TryParse(image) is null))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidImageReference, DeployOpsErrorKind.InvalidArgument,
                $"'{image}' is not an image reference; expected a pushed image such as :{ServiceName}.soft-launch-32.165 (:<service>.<label>.<number>) or a registry image such as nginx:1.25.", image));
        }

        if (LightsailImageReference.TryParse(image) is { } pushed && pushed.Service != ServiceName)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidImageReference, DeployOpsErrorKind.InvalidArgument,
                $"'{image}' was pushed to container service '{pushed.Service}', not '{ServiceName}'; a service can only run images pushed to it (:{ServiceName}.<label>.<number>).", image));
        }

        foreach (var name in Change.SetEnvironment.Keys)
        {
            VerificationExpectations.ValidateVariable(name, allowWildcard: false, "-SetEnvironment");
        }

        foreach (var name in Change.RemoveEnvironment)
        {
            VerificationExpectations.ValidateVariable(name, allowWildcard: false, "-RemoveEnvironment");
        }

        foreach (var name in RequiredEnvironment)
        {
            VerificationExpectations.ValidateVariable(name, allowWildcard: true, "-RequiredEnvironment");
        }

        if (Change.HealthCheckPath is { } path)
        {
            VerificationExpectations.ValidatePath(path, "-HealthCheckPath");
        }

        Verification.Validate();
    }
}

/// <summary>A publish planned and checked, not made yet: the new specification and its diff against ACTIVE.</summary>
public sealed class LightsailPublishPlan : IChangePlan
{
    public string ServiceName { get; init; } = "";

    public string Region { get; init; } = "";

    /// <summary>The ACTIVE deployment it starts from.</summary>
    public int FromVersion { get; init; }

    public LightsailDeploymentSpecification Current { get; init; } = new(new Dictionary<string, LightsailContainer>(), null);

    public LightsailDeploymentSpecification Next { get; init; } = new(new Dictionary<string, LightsailContainer>(), null);

    public LightsailDeploymentDiff Diff { get; init; } = new();

    public string ShouldProcessTarget => $"Lightsail container service {ServiceName} ({Region})";

    public string ShouldProcessAction => $"Deploy a new version from version {FromVersion}: {Diff.Summary}";
}

/// <summary>
/// Runbook 003's deploy: a new Lightsail deployment built from the ACTIVE deployment's specification with only the given
/// changes (so a stale JSON file can never be deployed), checked before anything changes (the image was pushed, the
/// variables the image needs are set), waited for through ACTIVATING (failing fast on FAILED with the log lines), then
/// verified; with -RollbackOnFailure a failed verification deploys the previous specification again.
/// </summary>
public sealed class LightsailPublisher
{
    private readonly AwsFacts _facts;
    private readonly DeploymentJournal? _journal;

    public LightsailPublisher(AwsFacts facts, DeploymentJournal? journal)
    {
        _facts = facts;
        _journal = journal;
    }

    private LightsailClient Client => _facts.Session.Client<LightsailClient>();

    /// <summary>Reads the service and checks the publish; throws <see cref="DeployOpsException"/> for what would make it fail.</summary>
    public async Task<LightsailPublishPlan> PlanAsync(LightsailPublishRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        _facts.Redactor.AddKnownValues(request.Change.SetEnvironment.Values);
        var service = await _facts.Lightsail.RequireServiceAsync(request.ServiceName, cancellationToken).ConfigureAwait(false);
        RequireSettled(service);
        var current = service.CurrentDeployment ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.LightsailDeploymentNotFound,
            $"Container service '{service.Name}' has no ACTIVE deployment to start from. Create the first one with aws lightsail create-container-service-deployment.", service.Name));
        var specification = current.Specification;
        var container = request.Change.Container ?? LightsailSpecifications.ServedContainer(specification)!;
        if (!specification.Containers.ContainsKey(container))
        {
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.LightsailContainerNotFound,
                $"Deployment {current.Version} of '{service.Name}' has no container '{container}'; its containers: {string.Join(", ", specification.Containers.Keys)}.", container));
        }

        await RequirePushedAsync(service.Name, request.Change.Image, cancellationToken).ConfigureAwait(false);
        var next = LightsailSpecifications.Apply(specification, container, request.Change);
        var environment = next.Containers[container].Environment;
        var missing = request.RequiredEnvironment.Where(pattern => !environment.Keys.Any(name => VerificationChecks.NameMatches(name, pattern))).ToList();
        if (missing.Count > 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.RequiredEnvironmentMissing, DeployOpsErrorKind.InvalidArgument,
                $"{request.Change.Image} needs {string.Join(", ", missing)}, which container {container} would not have (it has {string.Join(", ", environment.Keys.OrderBy(k => k, StringComparer.Ordinal))}). Nothing was deployed.",
                service.Name)
            {
                RecommendedAction = $"Set them: -SetEnvironment @{{ {string.Join("; ", missing.Select(m => m.Replace("*", "NAME") + " = '...'"))} }}",
            });
        }

        var diff = LightsailSpecifications.Diff(service.Name, current.Version, specification, next, container);
        return new LightsailPublishPlan
        {
            ServiceName = service.Name,
            Region = _facts.Session.Region.Name,
            FromVersion = current.Version,
            Current = specification,
            Next = next,
            Diff = Stamped(diff),
        };
    }

    /// <summary>
    /// Deploys the plan, waits, verifies and (with -RollbackOnFailure) restores the previous specification when the
    /// verification fails. Returns the result, then the error when it did not end verified.
    /// </summary>
    public async Task<IReadOnlyList<ItemOutcome<object>>> ApplyAsync(LightsailPublishPlan plan, LightsailPublishRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
        var version = await DeployAsync(plan.ServiceName, plan.Next, cancellationToken).ConfigureAwait(false);
        var waited = await new LightsailDeploymentWaiter(_facts).WaitAsync(plan.ServiceName, version, request.Wait, cancellationToken).ConfigureAwait(false);
        var image = plan.Diff.ImageTo;
        if (waited.Outcome != LightsailDeploymentOutcome.Active)
        {
            return Result(plan, version, image, waited.Outcome, waited.Reason, waited, null, null, clock).Outcomes();
        }

        var expectations = request.Verification with
        {
            ExpectedImageTag = request.Verification.ExpectedImageTag ?? image,
            RequiredEnvironment = request.Verification.RequiredEnvironment.Count > 0 ? request.Verification.RequiredEnvironment : request.RequiredEnvironment,
            ExpectedEnvironment = request.Verification.ExpectedEnvironment.Count > 0 ? request.Verification.ExpectedEnvironment : request.Change.SetEnvironment,
        };
        var verification = await new DeploymentVerifier(_facts, _journal, "Publish-LightsailDeployment").VerifyLightsailAsync(plan.ServiceName, expectations, cancellationToken).ConfigureAwait(false);
        if (verification.Passed)
        {
            return Result(plan, version, image, LightsailDeploymentOutcome.Verified, $"deployment {version} is ACTIVE and passed the verification", waited, verification, null, clock).Outcomes();
        }

        if (!request.RollbackOnFailure)
        {
            return Result(plan, version, image, LightsailDeploymentOutcome.VerificationFailed, $"deployment {version} is ACTIVE but failed the verification ({verification.FailedChecks})",
                waited, verification, null, clock).Outcomes();
        }

        _facts.Observer.Warning($"Deployment {version} of {plan.ServiceName} failed the verification ({verification.FailedChecks}); deploying the specification of version {plan.FromVersion} again (-RollbackOnFailure).");
        var restored = await DeployAsync(plan.ServiceName, plan.Current, cancellationToken).ConfigureAwait(false);
        var back = await new LightsailDeploymentWaiter(_facts).WaitAsync(plan.ServiceName, restored, request.Wait, cancellationToken).ConfigureAwait(false);
        var reason = back.Outcome == LightsailDeploymentOutcome.Active
            ? $"Deployment {version} failed the verification; rolled back: version {restored} runs the specification of version {plan.FromVersion} ({plan.Diff.ImageFrom}) again."
            : $"Deployment {version} failed the verification; the rollback to the specification of version {plan.FromVersion} as version {restored} did not become ACTIVE: {back.Reason}.";
        return Result(plan, restored, plan.Diff.ImageFrom, LightsailDeploymentOutcome.RolledBack, reason, back, verification, plan.FromVersion, clock).Outcomes();
    }

    /// <summary>Starts a deployment of <paramref name="specification"/>; returns its version. Not resent when the outcome is unknown.</summary>
    internal async Task<int> DeployAsync(string serviceName, LightsailDeploymentSpecification specification, CancellationToken cancellationToken)
    {
        var started = await ServiceRedeployer.Translated(() => Client.CreateContainerServiceDeploymentAsync(serviceName, specification, cancellationToken), serviceName).ConfigureAwait(false);
        var version = started.NextDeployment?.Version ?? throw new DeployOpsException(new DeployOpsError(ErrorIds.OutcomeUnknown, DeployOpsErrorKind.OutcomeUnknown,
            $"Lightsail accepted the deployment of {serviceName} but reports no next deployment; check it with Get-LightsailDeployment.", serviceName));
        _facts.Observer.Verbose($"{serviceName}: deployment {version} started ({started.StateDetail?.ToString() ?? started.State}).");
        return version;
    }

    /// <summary>A service in the middle of something (PENDING, DEPLOYING, UPDATING, DELETING, DISABLED) takes no deployment: LightsailServiceBusy.</summary>
    internal static void RequireSettled(LightsailContainerService service)
    {
        if (service.State is not (LightsailServiceState.Running or LightsailServiceState.Ready))
        {
            var what = service.NextDeployment is { } next ? $" deployment {next.Version}" : "";
            throw new DeployOpsException(new DeployOpsError(ErrorIds.LightsailServiceBusy, DeployOpsErrorKind.Conflict,
                $"Container service '{service.Name}' is {service.State}{what}{(service.StateDetail is null ? "" : $" ({service.StateDetail})")}: it takes a new deployment only when RUNNING or READY.",
                service.Name)
            {
                RecommendedAction = "Wait until it is RUNNING (Get-LightsailDeployment shows the deployments), then try again.",
            });
        }
    }

    /// <summary>A pushed image must be among the service's images: LightsailImageNotFound names the newest ones otherwise.</summary>
    private async Task RequirePushedAsync(string serviceName, string image, CancellationToken cancellationToken)
    {
        if (!LightsailImageReference.IsPushed(image))
        {
            _facts.Observer.Verbose($"{image} is a registry image: Lightsail pulls it when the deployment starts.");
            return;
        }

        var images = await _facts.Lightsail.ImagesAsync(serviceName, cancellationToken).ConfigureAwait(false);
        if (!images.IsRead)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.OutcomeUnknown, DeployOpsErrorKind.OutcomeUnknown,
                $"Could not check that {image} was pushed to '{serviceName}': {images.Gap?.ToString() ?? "the service does not exist"}. Nothing was deployed.", serviceName));
        }

        if (images.Value.All(i => i.Image != image))
        {
            var newest = images.Value.Take(5).Select(i => i.Image).ToList();
            throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.LightsailImageNotFound,
                $"Image {image} was not pushed to container service '{serviceName}'; the newest pushed: {(newest.Count == 0 ? "none" : string.Join(", ", newest))}. Nothing was deployed.",
                image));
        }
    }

    private LightsailDeploymentDiff Stamped(LightsailDeploymentDiff diff) => new()
    {
        ServiceName = diff.ServiceName,
        FromVersion = diff.FromVersion,
        Container = diff.Container,
        ImageFrom = diff.ImageFrom,
        ImageTo = diff.ImageTo,
        VariablesAdded = diff.VariablesAdded,
        VariablesRemoved = diff.VariablesRemoved,
        VariablesChanged = diff.VariablesChanged,
        HealthCheckChanges = diff.HealthCheckChanges,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };

    private LightsailDeploymentResult Result(LightsailPublishPlan plan, int version, string image, LightsailDeploymentOutcome outcome, string reason,
        LightsailWaitResult waited, DeploymentVerificationResult? verification, int? restored, Stopwatch clock) => new()
    {
        ServiceName = plan.ServiceName,
        Action = "Publish",
        Version = version,
        PreviousVersion = plan.FromVersion,
        RestoredVersion = restored,
        Image = image,
        OutcomeKind = outcome,
        Reason = _facts.Redactor.Redact(reason),
        StateDetail = waited.LastStateDetail,
        LogLines = waited.LogLines.ToPrintableList(),
        Verification = verification,
        ActiveAt = waited.ActiveAt,
        Elapsed = clock.Elapsed,
        FinishedAt = DateTimeOffset.UtcNow,
        Region = _facts.Session.Region.Name,
        EndpointUrl = _facts.Session.EndpointUrl,
        ProfileName = _facts.Session.ProfileName,
    };
}
