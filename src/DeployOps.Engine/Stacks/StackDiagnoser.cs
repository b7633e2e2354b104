using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.CloudFormation;
using DeployOps.Aws.Logs;
using DeployOps.Errors;
using DeployOps.Estimates;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Storage;

namespace DeployOps.Stacks;

/// <summary>What Get-CfnStackDiagnosis diagnoses.</summary>
public sealed record StackDiagnosisRequest
{
    public string StackName { get; init; } = "";

    /// <summary>Where the deployment history is (for the resources' usual durations); null uses DeployOps' defaults only.</summary>
    public DeploymentStore? Store { get; init; }

    /// <summary>How many of a custom resource's function log lines to keep.</summary>
    public int FunctionLogLines { get; init; } = 20;
}

/// <summary>
/// Runbook 001, "CloudFormation stack stuck" and "RDS creation timeout", steps 1 to 3 and the diagnosis of each stuck
/// resource: reads the stack, its resources and its current operation's events, the deployment history's durations, and
/// for each resource in progress (or the one that failed first) what its service says: RDS (status, events of the last
/// hour, free addresses per subnet of its subnet group), ECS (<see cref="IStackEcsAnalysis"/>) or the custom resource's
/// function (its log lines). Then the legal actions as exact commands. What cannot be read is a gap on the report.
/// </summary>
public sealed class StackDiagnoser
{
    private readonly AwsFacts _facts;
    private readonly IStackEcsAnalysis _ecs;

    public StackDiagnoser(AwsFacts facts, IStackEcsAnalysis? ecs = null)
    {
        _facts = facts;
        _ecs = ecs ?? new HealthReportEcsAnalysis(facts);
    }

    public async Task<CfnStackDiagnosis> DiagnoseAsync(StackDiagnosisRequest request, CancellationToken cancellationToken)
    {
        StackNames.Validate(request.StackName);
        var stack = await _facts.Stacks.RequireAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        var resourcesRead = _facts.Stacks.ResourcesAsync(stack.StackId, cancellationToken);
        var eventsRead = _facts.Stacks.OperationEventsAsync(stack.StackId, cancellationToken);
        await Task.WhenAll(resourcesRead, eventsRead).ConfigureAwait(false);
        var gaps = new List<string>();
        var resources = Value(resourcesRead.Result, gaps, Array.Empty<CfnStackResource>());
        var events = Value(eventsRead.Result, gaps, Array.Empty<CfnStackEvent>());
        var durations = new ResourceDurations(DeploymentHistory.ReadOrEmpty(request.Store, gaps).Deployments);
        var now = _facts.Session.Now;

        var nested = await NestedAsync(resources, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<CfnStackEvent>? NestedEvents(string id) => nested.Values.Where(t => t.Stack == id).Select(t => t.Tree.Events).FirstOrDefault();
        var rootCause = StackRootCause.Find(events, NestedEvents);
        var rollbackFailure = StackRootCause.FindRollbackFailure(events, NestedEvents);
        var inProgress = resources.Where(r => CfnResourceStatus.IsInProgress(r.ResourceStatus)).Select(r => Progress(r, events, durations, now)).ToList();

        var findingTargets = inProgress.Select(p => (p.LogicalResourceId, p.ResourceType, p.PhysicalResourceId, Since: p.InProgressSince))
            .Concat(new[] { rootCause, rollbackFailure }.Where(f => f is not null && !f.Path.Contains(".")).Select(f => (f!.LogicalResourceId, f.ResourceType, f.PhysicalResourceId, Since: (DateTimeOffset?)f.Timestamp)))
            .GroupBy(t => t.LogicalResourceId, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var findings = (await Task.WhenAll(findingTargets.Select(t => FindingAsync(t.LogicalResourceId, t.ResourceType, t.PhysicalResourceId, t.Since, events, request, gaps, cancellationToken)))
            .ConfigureAwait(false)).Where(f => f is not null).Select(f => f!).ToList();

        var tree = new StackTree(stack.StackName, resources, events, nested.ToDictionary(n => n.Key, n => n.Value.Tree, StringComparer.Ordinal));
        var skip = stack.StackStatus == CfnStackStatus.UpdateRollbackFailed ? RollbackSkipList.Compute(tree) : Array.Empty<string>();
        var retain = stack.StackStatus == CfnStackStatus.DeleteFailed
            ? resources.Where(r => r.ResourceStatus == CfnResourceStatus.DeleteFailed).Select(r => r.LogicalResourceId).ToList()
            : new List<string>();
        var actions = StackCommands.For(StackActionTable.For(stack.StackStatus), stack.StackName, StackConnection.Of(_facts.Session), skip, retain);

        var statusSince = events.FirstOrDefault(e => e.IsStackEvent && e.ResourceStatus == stack.StackStatus)?.Timestamp ?? stack.LastUpdatedTime ?? stack.CreationTime;
        var lastEvent = events.FirstOrDefault()?.Timestamp;
        var timeInStatus = statusSince is { } since ? now - since : (TimeSpan?)null;
        var quiet = lastEvent is { } last ? now - last : (TimeSpan?)null;
        var symptoms = Symptoms(stack.StackStatus, timeInStatus, quiet, inProgress);
        var redact = _facts.Redactor;
        return new CfnStackDiagnosis
        {
            StackName = stack.StackName,
            StackId = stack.StackId,
            Status = stack.StackStatus,
            StatusReason = stack.StackStatusReason is { } reason ? redact.Redact(reason) : null,
            StatusSince = statusSince,
            TimeInStatus = timeInStatus,
            LastEventAt = lastEvent,
            TimeSinceLastEvent = quiet,
            Summary = redact.Redact(Summary(stack, timeInStatus, quiet, inProgress, rootCause, rollbackFailure, actions)),
            Symptoms = symptoms.ToPrintableList(),
            InProgress = inProgress.ToPrintableList(),
            RootCause = Redacted(rootCause),
            RollbackFailure = Redacted(rollbackFailure),
            Findings = findings.ToPrintableList(),
            LegalActions = actions.ToPrintableList(),
            ResourcesToSkip = skip.ToPrintableList(),
            RetainResources = retain.ToPrintableList(),
            Gaps = gaps.ToPrintableList(),
            CheckedAt = now,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }

    private async Task<Dictionary<string, (string Stack, StackTree Tree)>> NestedAsync(IReadOnlyList<CfnStackResource> resources, CancellationToken cancellationToken)
    {
        var nested = new Dictionary<string, (string, StackTree)>(StringComparer.Ordinal);
        foreach (var child in resources.Where(r => r.ResourceType == CfnResourceType.Stack && r.PhysicalResourceId is not null))
        {
            var tree = await _facts.Stacks.TreeAsync(child.PhysicalResourceId!, cancellationToken).ConfigureAwait(false);
            if (tree.IsRead)
            {
                nested[child.LogicalResourceId] = (child.PhysicalResourceId!, tree.Value);
            }
        }

        return nested;
    }

    private static CfnResourceProgress Progress(CfnStackResource resource, IReadOnlyList<CfnStackEvent> events, ResourceDurations durations, DateTimeOffset now)
    {
        var since = events.LastOrDefault(e => e.LogicalResourceId == resource.LogicalResourceId && e.ResourceStatus == resource.ResourceStatus)?.Timestamp
                    ?? resource.LastUpdatedTimestamp;
        var usual = durations.Usual(resource.ResourceType, StackOperations.ActionOf(resource.ResourceStatus));
        var elapsed = since is { } s ? now - s : TimeSpan.Zero;
        return new CfnResourceProgress
        {
            LogicalResourceId = resource.LogicalResourceId,
            ResourceType = resource.ResourceType,
            PhysicalResourceId = resource.PhysicalResourceId,
            Status = resource.ResourceStatus,
            InProgressSince = since,
            TimeInProgress = elapsed,
            UsualDuration = usual.Typical,
            UsualLongest = usual.High,
            UsualSource = usual.Source,
            Overdue = elapsed > usual.High,
        };
    }

    /// <summary>The service's side of one resource: RDS, ECS or a custom resource's function; null for other types.</summary>
    private async Task<CfnStuckResourceFinding?> FindingAsync(string logicalId, string type, string? physicalId, DateTimeOffset? since, IReadOnlyList<CfnStackEvent> events,
        StackDiagnosisRequest request, List<string> gaps, CancellationToken cancellationToken)
    {
        if (physicalId is null && !CfnResourceType.IsCustom(type))
        {
            return null;
        }

        if (type is CfnResourceType.DbInstance or CfnResourceType.DbCluster)
        {
            return await DatabaseFindingAsync(logicalId, type, physicalId!, gaps, cancellationToken).ConfigureAwait(false);
        }

        if (type == CfnResourceType.EcsService && EcsServiceName(physicalId!) is { } service)
        {
            var finding = await _ecs.AnalyzeAsync(service.Cluster, service.Service, cancellationToken).ConfigureAwait(false);
            return new CfnStuckResourceFinding
            {
                LogicalResourceId = logicalId,
                ResourceType = type,
                PhysicalResourceId = physicalId,
                Kind = "EcsService",
                Summary = _facts.Redactor.Redact(finding.Summary),
                Details = finding.Details.Select(_facts.Redactor.Redact).ToPrintableList(),
                EcsReport = finding.Report,
            };
        }

        if (CfnResourceType.IsCustom(type))
        {
            return await CustomResourceFindingAsync(logicalId, type, physicalId, since, events, request, gaps, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<CfnStuckResourceFinding> DatabaseFindingAsync(string logicalId, string type, string identifier, List<string> gaps, CancellationToken cancellationToken)
    {
        var isCluster = type == CfnResourceType.DbCluster;
        string? status = null;
        string? subnetGroup = null;
        if (isCluster)
        {
            var cluster = await _facts.Databases.ClusterAsync(identifier, cancellationToken).ConfigureAwait(false);
            status = cluster.IsRead ? cluster.Value.Status : cluster.Absent ? "does not exist" : Gap(cluster.Gap!, gaps);
            subnetGroup = cluster.ValueOr(null)?.SubnetGroupName;
        }
        else
        {
            var instance = await _facts.Databases.InstanceAsync(identifier, cancellationToken).ConfigureAwait(false);
            status = instance.IsRead ? instance.Value.Status : instance.Absent ? "does not exist" : Gap(instance.Gap!, gaps);
            subnetGroup = instance.ValueOr(null)?.SubnetGroupName;
        }

        var eventsRead = await _facts.Databases.EventsAsync(isCluster ? "db-cluster" : "db-instance", identifier, cancellationToken).ConfigureAwait(false);
        var rdsEvents = Value(eventsRead, gaps, Array.Empty<Aws.Rds.RdsEvent>())
            .Select(e => e with { Message = _facts.Redactor.Redact(e.Message) }).ToList();
        var subnets = subnetGroup is null ? Array.Empty<DatabaseSubnet>() : Value(await _facts.Databases.SubnetsAsync(subnetGroup, cancellationToken).ConfigureAwait(false), gaps, Array.Empty<DatabaseSubnet>());
        var details = new List<string> { $"RDS status: {status}" };
        details.AddRange(rdsEvents.Count == 0 ? new[] { $"No RDS events in the last {RdsReader.EventMinutes} minutes." } : rdsEvents.Select(e => $"RDS event {e}"));
        if (subnetGroup is not null)
        {
            details.Add($"Subnet group {subnetGroup}: " + (subnets.Count == 0 ? "subnets not read" : string.Join("; ", subnets.Select(s => s.ToString()))));
        }

        var full = subnets.Where(s => s.FreeAddresses is < 2).ToList();
        var summary = $"RDS {(isCluster ? "cluster" : "instance")} {identifier} is {status}" +
                      (full.Count == 0 ? "" : $"; {full.Count} of {subnets.Count} subnets have (almost) no free IP address ({string.Join(", ", full.Select(s => $"{s.SubnetId}: {s.FreeAddresses}"))})") +
                      (rdsEvents.LastOrDefault() is { } latest ? $"; last RDS event: {latest.Message}" : "");
        return new CfnStuckResourceFinding
        {
            LogicalResourceId = logicalId,
            ResourceType = type,
            PhysicalResourceId = identifier,
            Kind = "Database",
            Summary = summary,
            Details = details.ToPrintableList(),
            DatabaseStatus = status,
            DatabaseEvents = rdsEvents.ToPrintableList(),
            Subnets = subnets.ToPrintableList(),
        };
    }

    private async Task<CfnStuckResourceFinding> CustomResourceFindingAsync(string logicalId, string type, string? physicalId, DateTimeOffset? since, IReadOnlyList<CfnStackEvent> events,
        StackDiagnosisRequest request, List<string> gaps, CancellationToken cancellationToken)
    {
        var token = events.Where(e => e.LogicalResourceId == logicalId && e.ResourceProperties is not null).Select(e => ServiceToken(e.ResourceProperties!)).FirstOrDefault(t => t is not null);
        if (token is null)
        {
            return new CfnStuckResourceFinding
            {
                LogicalResourceId = logicalId, ResourceType = type, PhysicalResourceId = physicalId, Kind = "CustomResource",
                Summary = "Custom resource: its ServiceToken is not in the stack's events, so its function is unknown.",
            };
        }

        var function = token.Contains(":function:") ? token.Substring(token.IndexOf(":function:", StringComparison.Ordinal) + ":function:".Length).Split(':')[0] : null;
        if (function is null)
        {
            return new CfnStuckResourceFinding
            {
                LogicalResourceId = logicalId, ResourceType = type, PhysicalResourceId = physicalId, Kind = "CustomResource",
                Summary = $"Custom resource served by {token} (not a Lambda function: its logs are not in CloudWatch Logs).",
            };
        }

        var group = $"/aws/lambda/{function}";
        var read = await _facts.Policy.ReadAsync($"log group {group}", () => _facts.Session.Logs.FilterLogEventsAsync(
            new LogsFilterRequest(group) { StartTime = (since ?? _facts.Session.Now).AddMinutes(-5), MaxEvents = 1000 }, cancellationToken)).ConfigureAwait(false);
        var lines = read.IsRead
            ? read.Value.Events.OrderBy(e => e.Timestamp).Select(e => _facts.Redactor.Redact(e.Message.TrimEnd())).Where(l => l.Length > 0).ToList()
            : new List<string>();
        var recent = lines.Skip(Math.Max(0, lines.Count - request.FunctionLogLines)).ToList();
        var explaining = ApplicationLogReader.Explaining(recent);
        var summary = read.Absent ? $"Custom resource served by Lambda function {function}; its log group {group} does not exist (it never ran, or logs elsewhere)."
            : !read.IsRead ? $"Custom resource served by Lambda function {function}; its logs were not read."
            : recent.Count == 0 ? $"Custom resource served by Lambda function {function}: no log line since the resource started (the function was not invoked, or logs elsewhere)."
            : $"Custom resource served by Lambda function {function}" + (explaining is null ? $": {recent.Count} recent log line(s)." : $": {explaining}");
        if (read.Gap is { } gap)
        {
            gaps.Add(gap.ToString());
        }

        return new CfnStuckResourceFinding
        {
            LogicalResourceId = logicalId,
            ResourceType = type,
            PhysicalResourceId = physicalId,
            Kind = "CustomResource",
            Summary = summary,
            Details = recent.ToPrintableList(),
            FunctionName = function,
            LogGroup = group,
            LogLines = recent.ToPrintableList(),
        };
    }

    private static string? ServiceToken(string properties)
    {
        try
        {
            using var document = JsonDocument.Parse(properties);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("ServiceToken", out var token) ? token.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The cluster and service of an ECS service ARN (<c>arn:aws:ecs:region:account:service/cluster/name</c>); null for the old format without the cluster.</summary>
    internal static (string Cluster, string Service)? EcsServiceName(string arn)
    {
        var parts = arn.Split('/');
        return parts.Length >= 3 && parts[0].EndsWith(":service", StringComparison.Ordinal) ? (parts[parts.Length - 2], parts[parts.Length - 1]) : null;
    }

    private static List<string> Symptoms(string status, TimeSpan? timeInStatus, TimeSpan? quiet, IReadOnlyList<CfnResourceProgress> inProgress)
    {
        var symptoms = new List<string>();
        if (!CfnStackStatus.IsInProgress(status))
        {
            return symptoms;
        }

        if (timeInStatus >= CfnStackDiagnosis.StuckAfter)
        {
            symptoms.Add($"{status} for {Minutes(timeInStatus!.Value)} minutes (runbook 001: stuck after {CfnStackDiagnosis.StuckAfter.TotalMinutes:0}+)");
        }

        if (quiet >= CfnStackDiagnosis.QuietAfter)
        {
            symptoms.Add($"No new stack events for {Minutes(quiet!.Value)} minutes (runbook 001: {CfnStackDiagnosis.QuietAfter.TotalMinutes:0}+)");
        }

        symptoms.AddRange(inProgress.Where(p => p.Overdue).Select(p =>
            $"Resource stuck: {p.LogicalResourceId} ({p.ResourceType}) in progress {Minutes(p.TimeInProgress)} minutes, usually {Minutes(p.UsualDuration)} (at most {Minutes(p.UsualLongest)})"));
        return symptoms;
    }

    private static string Summary(CfnStack stack, TimeSpan? timeInStatus, TimeSpan? quiet, IReadOnlyList<CfnResourceProgress> inProgress, CfnStackFailure? rootCause,
        CfnStackFailure? rollbackFailure, IReadOnlyList<CfnStackAction> actions)
    {
        var parts = new List<string> { $"{stack.StackStatus}" + (timeInStatus is { } t ? $" for {Minutes(t)} min" : "") + (quiet is { } q && CfnStackStatus.IsInProgress(stack.StackStatus) ? $", last event {Minutes(q)} min ago" : "") };
        var overdue = inProgress.Where(p => p.Overdue).ToList();
        if (overdue.Count > 0)
        {
            parts.Add("stuck: " + string.Join(", ", overdue.Select(p => $"{p.LogicalResourceId} ({p.ResourceType}) {Minutes(p.TimeInProgress)} min, usually {Minutes(p.UsualDuration)}")));
        }

        if (rootCause is not null)
        {
            parts.Add($"root cause: {rootCause.Path} {rootCause.Status}: {rootCause.Reason}");
        }

        if (rollbackFailure is not null && rollbackFailure.Path != rootCause?.Path)
        {
            parts.Add($"rollback failed: {rollbackFailure.Path}: {rollbackFailure.Reason}");
        }

        var next = actions.FirstOrDefault(a => a.ActionKind != StackAction.Wait) ?? actions.FirstOrDefault();
        parts.Add(next is null ? "no action applies" : $"next: {next.Command}");
        return string.Join("; ", parts);
    }

    private CfnStackFailure? Redacted(CfnStackFailure? failure) => failure is null ? null : new CfnStackFailure
    {
        StackName = failure.StackName,
        LogicalResourceId = failure.LogicalResourceId,
        ResourceType = failure.ResourceType,
        PhysicalResourceId = failure.PhysicalResourceId,
        Status = failure.Status,
        Reason = _facts.Redactor.Redact(failure.Reason),
        Timestamp = failure.Timestamp,
        Path = failure.Path,
    };

    private static T Value<T>(Fact<T> fact, List<string> gaps, T otherwise)
    {
        if (fact.Gap is { } gap)
        {
            gaps.Add(gap.ToString());
        }

        return fact.IsRead ? fact.Value : otherwise;
    }

    private static string Gap(Gap gap, List<string> gaps)
    {
        gaps.Add(gap.ToString());
        return "not read";
    }

    private static string Minutes(TimeSpan span) => span.TotalMinutes.ToString("0", CultureInfo.InvariantCulture);
}
