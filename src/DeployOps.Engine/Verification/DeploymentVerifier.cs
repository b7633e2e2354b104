using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Aws.Lightsail;
using DeployOps.Endpoints;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Verification;

/// <summary>
/// Runbook 003's post-deploy verification (verify-deployment.sh) for an ECS service or a Lightsail container service: the
/// health endpoint (the deep path when one is configured), CORS for the expected origins, the running image tag, the
/// expected variables (names; values by digest) and the startup sequence in the logs. Reads through the fact readers,
/// decides with <see cref="VerificationChecks"/>, and records a pass in the deployment journal.
/// </summary>
public sealed class DeploymentVerifier
{
    private readonly AwsFacts _facts;
    private readonly DeploymentJournal? _journal;
    private readonly string _verifiedBy;

    /// <param name="journal">Where a pass is recorded; null records nothing.</param>
    /// <param name="verifiedBy">What the journal says verified it, e.g. Test-DeploymentVerification.</param>
    public DeploymentVerifier(AwsFacts facts, DeploymentJournal? journal, string verifiedBy = "Test-DeploymentVerification")
    {
        _facts = facts;
        _journal = journal;
        _verifiedBy = verifiedBy;
    }

    /// <summary>
    /// Verifies the ACTIVE deployment of a Lightsail container service. Throws <see cref="DeployOpsException"/> when the service
    /// does not exist (LightsailServiceNotFound) or has no ACTIVE deployment (LightsailDeploymentNotFound).
    /// </summary>
    public async Task<DeploymentVerificationResult> VerifyLightsailAsync(string serviceName, VerificationExpectations expectations, CancellationToken cancellationToken)
    {
        expectations.Validate();
        Remember(expectations);
        var service = await _facts.Lightsail.RequireServiceAsync(serviceName, cancellationToken).ConfigureAwait(false);
        var deployment = service.CurrentDeployment ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.LightsailDeploymentNotFound,
            $"Container service '{serviceName}' has no ACTIVE deployment to verify (it is {service.State}). Deploy one with Publish-LightsailDeployment.", serviceName));
        var served = deployment.PublicEndpoint?.ContainerName ?? deployment.Containers.Keys.First();
        _facts.Observer.Verbose($"Verifying deployment {deployment.Version} of container service {serviceName} ({service.Url}).");

        var path = expectations.ReadyPath ?? deployment.PublicEndpoint?.HealthCheck.Effective.Path ?? "/";
        var livenessOnly = expectations.ReadyPath is null && HealthPaths.IsLivenessOnly(path, null);
        var healthUrl = string.IsNullOrEmpty(service.Url) ? null : service.Url!.TrimEnd('/') + path;
        var endpoint = CheckEndpointAsync(healthUrl, livenessOnly, expectations, "The service has no public endpoint URL.", cancellationToken);
        var image = LightsailImageAsync(serviceName, deployment, expectations.ExpectedImageTag, cancellationToken);
        var startup = LightsailStartupAsync(serviceName, served, deployment, expectations.EffectiveStartupPhases, cancellationToken);
        var variables = deployment.Containers.Values.SelectMany(c => c.Environment)
            .GroupBy(v => v.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (string?)g.First().Value, StringComparer.Ordinal);
        await Task.WhenAll(endpoint, image, startup).ConfigureAwait(false);

        var findings = endpoint.Result
            .Append(image.Result)
            .Append(VerificationChecks.EnvironmentVariables(variables, expectations.RequiredEnvironment, expectations.ExpectedEnvironment))
            .Append(startup.Result);
        return await ConcludeAsync(new DeploymentVerificationResult
        {
            Platform = "Lightsail",
            Service = service.Name,
            Revision = deployment.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Images = deployment.Containers.Select(c => $"{c.Key}: {c.Value.Image}").ToPrintableList(),
            HealthUrl = healthUrl is null ? null : EndpointTester.Shown(new Uri(healthUrl)),
            Findings = findings.ToPrintableList(),
            VerifiedAt = DateTimeOffset.UtcNow,
        }, DeploymentJournal.LightsailTarget(_facts.Session.Region.Name, service.Name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies the PRIMARY deployment of an ECS service: its task definition's images and variables, its running tasks'
    /// startup logs, and the health URL given (the settings' public health URL), on the deep path when one is configured.
    /// Throws <see cref="DeployOpsException"/> when the cluster or service does not exist.
    /// </summary>
    public async Task<DeploymentVerificationResult> VerifyEcsAsync(string cluster, string serviceName, VerificationExpectations expectations, CancellationToken cancellationToken)
    {
        expectations.Validate();
        Remember(expectations);
        var service = await _facts.Services.RequireAsync(cluster, serviceName, cancellationToken).ConfigureAwait(false);
        var clusterName = AwsArn.LastSegment(service.ClusterArn.Length > 0 ? service.ClusterArn : cluster);
        var primary = service.Primary ?? throw new DeployOpsException(ErrorTranslator.NotFound(ErrorIds.DeploymentNotFound,
            $"Service '{service.Name}' in cluster '{clusterName}' has no PRIMARY deployment to verify.", service.Name));
        _facts.Observer.Verbose($"Verifying deployment {primary.Id} of {clusterName}/{service.Name} ({primary.TaskDefinition}).");

        Uri? healthUrl = null;
        if (expectations.HealthUrl is { } given)
        {
            var url = EndpointTester.ParseUrl(given);
            healthUrl = expectations.ReadyPath is { } ready ? new UriBuilder(url) { Path = ready, Query = "" }.Uri : url;
        }

        var livenessOnly = expectations.ReadyPath is null && healthUrl is not null && HealthPaths.IsLivenessOnly(healthUrl.AbsolutePath, null);
        var endpoint = CheckEndpointAsync(healthUrl?.ToString(), livenessOnly, expectations,
            "No health URL to request: an ECS service's public URL is not in its description.", cancellationToken);
        var definition = _facts.TaskDefinitions.ReadAsync(primary.TaskDefinition ?? "", cancellationToken);
        var startup = EcsStartupAsync(clusterName, primary.Id, expectations.EffectiveStartupPhases, cancellationToken);
        await Task.WhenAll(endpoint, definition, startup).ConfigureAwait(false);

        var findings = new List<DeploymentFinding>(endpoint.Result);
        if (definition.Result.IsRead)
        {
            var containers = definition.Result.Value.ContainerDefinitions;
            findings.Add(VerificationChecks.Image(containers.Select(c => (c.Name, c.Image ?? "")).ToList(), expectations.ExpectedImageTag,
                expectations.ExpectedImageTag is null ? "no tag given; ECS has no list of pushed images" : "-ExpectedImageTag"));
            var variables = containers.SelectMany(c => c.Environment.Select(v => (v.Name, Value: (string?)v.Value)).Concat(c.Secrets.Select(s => (s.Name, Value: (string?)null))))
                .GroupBy(v => v.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
            findings.Add(VerificationChecks.EnvironmentVariables(variables, expectations.RequiredEnvironment, expectations.ExpectedEnvironment));
        }
        else
        {
            var gap = definition.Result.Gap ?? new Gap($"task definition {primary.TaskDefinition}", "it does not exist");
            findings.Add(VerificationChecks.NotRead(VerificationChecks.ImageTag, gap));
            findings.Add(VerificationChecks.NotRead(VerificationChecks.Environment, gap));
        }

        findings.Add(startup.Result);
        return await ConcludeAsync(new DeploymentVerificationResult
        {
            Platform = "Ecs",
            Cluster = clusterName,
            Service = service.Name,
            Revision = primary.TaskDefinition ?? "",
            Images = definition.Result.IsRead ? definition.Result.Value.ContainerDefinitions.Select(c => $"{c.Name}: {c.Image}").ToPrintableList() : PrintableList<string>.Empty,
            HealthUrl = healthUrl is null ? null : EndpointTester.Shown(healthUrl),
            Findings = findings.ToPrintableList(),
            VerifiedAt = DateTimeOffset.UtcNow,
        }, DeploymentJournal.EcsTarget(_facts.Session.Region.Name, clusterName, service.Name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Expected values are secrets like the deployment's own: nothing this run writes may show them.</summary>
    private void Remember(VerificationExpectations expectations) => _facts.Redactor.AddKnownValues(expectations.ExpectedEnvironment.Values);

    /// <summary>The health finding and the CORS finding, from one request per origin (and one without) to the health URL.</summary>
    private async Task<IReadOnlyList<DeploymentFinding>> CheckEndpointAsync(string? url, bool livenessOnly, VerificationExpectations expectations, string noUrl, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return new[]
            {
                VerificationChecks.Health(null, livenessOnly, noUrl),
                expectations.Origins.Count == 0 ? VerificationChecks.CorsHeaders(Array.Empty<EndpointTestResult>())
                    : new DeploymentFinding(VerificationChecks.Cors, VerificationOutcome.Skipped, noUrl + " CORS was not checked."),
            };
        }

        var tester = new EndpointTester(_facts.Observer);
        EndpointTestRequest Request(string? origin) => new() { Url = url, ExpectedStatusCode = expectations.ExpectedStatusCode, Origin = origin, Timeout = expectations.RequestTimeout };
        var health = tester.TestAsync(Request(null), cancellationToken);
        var cors = Task.WhenAll(expectations.Origins.Select(origin => tester.TestAsync(Request(origin), cancellationToken)));
        await Task.WhenAll(health, cors).ConfigureAwait(false);
        return new[] { VerificationChecks.Health(health.Result, livenessOnly), VerificationChecks.CorsHeaders(cors.Result) };
    }

    /// <summary>The image finding: against the expected tag, else the newest image pushed to the service.</summary>
    private async Task<DeploymentFinding> LightsailImageAsync(string serviceName, LightsailDeployment deployment, string? expectedTag, CancellationToken cancellationToken)
    {
        var running = deployment.Containers.Select(c => (c.Key, c.Value.Image)).ToList();
        if (expectedTag is not null)
        {
            return VerificationChecks.Image(running, expectedTag, "-ExpectedImageTag");
        }

        var images = await _facts.Lightsail.ImagesAsync(serviceName, cancellationToken).ConfigureAwait(false);
        if (!images.IsRead)
        {
            return VerificationChecks.NotRead(VerificationChecks.ImageTag, images.Gap ?? new Gap($"images of {serviceName}", "the service does not exist"));
        }

        var newest = images.Value.FirstOrDefault();
        return VerificationChecks.Image(running, newest?.Image, newest is null ? "no image was pushed to the service" : "the newest image pushed");
    }

    /// <summary>The startup finding from the served container's log since the deployment was created (every node's lines merged).</summary>
    private async Task<DeploymentFinding> LightsailStartupAsync(string serviceName, string container, LightsailDeployment deployment, IReadOnlyList<string> phases, CancellationToken cancellationToken)
    {
        var log = await _facts.Lightsail.LogAsync(new LightsailLogRequest(serviceName, container) { StartTime = deployment.CreatedAt }, cancellationToken).ConfigureAwait(false);
        if (!log.IsRead)
        {
            return VerificationChecks.NotRead(VerificationChecks.StartupSequence, log.Gap ?? new Gap($"log of container {container}", "the container does not exist"));
        }

        var source = $"container {container} (deployment {deployment.Version}, every node)";
        return VerificationChecks.Startup(new[] { (source, StartupSequence.Evaluate(log.Value.Timed, phases)) }, phases);
    }

    /// <summary>The startup finding from the log stream of each running task of the deployment.</summary>
    private async Task<DeploymentFinding> EcsStartupAsync(string cluster, string deploymentId, IReadOnlyList<string> phases, CancellationToken cancellationToken)
    {
        var tasks = await _facts.Tasks.RunningOfDeploymentAsync(cluster, deploymentId, cancellationToken).ConfigureAwait(false);
        if (!tasks.IsRead)
        {
            return VerificationChecks.NotRead(VerificationChecks.StartupSequence, tasks.Gap ?? new Gap($"running tasks of {deploymentId}", "none were found"));
        }

        var running = tasks.Value.Where(t => t.LastStatus == "RUNNING").ToList();
        var lines = await Task.WhenAll(running.Select(t => _facts.Logs.StartupLinesAsync(t, cancellationToken))).ConfigureAwait(false);
        if (lines.FirstOrDefault(l => !l.IsRead) is { } unread)
        {
            return VerificationChecks.NotRead(VerificationChecks.StartupSequence, unread.Gap ?? new Gap("a task's log stream", "it does not exist"));
        }

        if (lines.Any(l => l.Value is null))
        {
            return new DeploymentFinding(VerificationChecks.StartupSequence, VerificationOutcome.Skipped, "The serving container does not log to CloudWatch Logs (awslogs).");
        }

        var sources = running.Zip(lines, (task, read) => ($"task {AwsArn.LastSegment(task.Arn)}", StartupSequence.Evaluate(read.Value!, phases))).ToList();
        return VerificationChecks.Startup(sources, phases);
    }

    /// <summary>Stamps the session on the result and records a pass in the journal.</summary>
    private async Task<DeploymentVerificationResult> ConcludeAsync(DeploymentVerificationResult verdict, string target, CancellationToken cancellationToken)
    {
        var result = new DeploymentVerificationResult
        {
            Platform = verdict.Platform,
            Cluster = verdict.Cluster,
            Service = verdict.Service,
            Revision = verdict.Revision,
            Images = verdict.Images,
            HealthUrl = verdict.HealthUrl,
            Findings = verdict.Findings.Select(f => new DeploymentFinding(f.Check, f.OutcomeKind, _facts.Redactor.Redact(f.Message), f.RecommendedAction)).ToPrintableList(),
            VerifiedAt = verdict.VerifiedAt,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
        if (result.Passed && _journal is not null)
        {
            await _journal.RecordAsync(new JournalEntry
            {
                Target = target,
                Revision = result.Revision,
                Images = result.Images.ToList(),
                VerifiedBy = _verifiedBy,
                VerifiedAt = result.VerifiedAt,
            }, cancellationToken).ConfigureAwait(false);
            result.Recorded = true;
            _facts.Observer.Verbose($"Recorded {target} revision {result.Revision} as verified in {_journal.Path}.");
        }

        return result;
    }
}
