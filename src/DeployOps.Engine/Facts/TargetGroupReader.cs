using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.ElasticLoadBalancing;
using DeployOps.Health;
using DeployOps.Operations;

namespace DeployOps.Facts;

/// <summary>A target group's settings and its targets' health, each its own fact.</summary>
/// <param name="Arn">The group's ARN as the service names it.</param>
/// <param name="Group">Its settings; absent when the group was deleted.</param>
/// <param name="Targets">Its targets' health; unread when the group is absent or DescribeTargetHealth failed.</param>
public sealed record TargetGroupReading(string Arn, Fact<ElbTargetGroup> Group, Fact<IReadOnlyList<ElbTargetHealth>> Targets)
{
    /// <summary>The group as a report shows it, when both its settings and its targets were read.</summary>
    public TargetGroupHealth? Health => Group.IsRead && Targets.IsRead ? ToHealth(Group.Value, Targets.Value) : null;

    /// <summary>What could not be read about the group.</summary>
    public IEnumerable<Gap> Gaps => new[] { Group.Gap, Targets.Gap }.Where(gap => gap is not null).Select(gap => gap!);

    private static TargetGroupHealth ToHealth(ElbTargetGroup group, IReadOnlyList<ElbTargetHealth> targets)
    {
        var infos = targets.Select(t => new TargetHealthInfo
        {
            Id = t.TargetId,
            Port = t.Port ?? group.Port ?? 0,
            AvailabilityZone = t.AvailabilityZone,
            State = t.State,
            Reason = t.Reason,
            Description = t.Description,
        }).ToList();
        var check = group.HealthCheck;
        return new TargetGroupHealth
        {
            TargetGroupArn = group.Arn,
            TargetGroupName = group.Name,
            Protocol = group.Protocol ?? "",
            Port = group.Port ?? 0,
            HealthCheckProtocol = check.Protocol ?? "",
            HealthCheckPort = check.Port ?? "",
            HealthCheckPath = check.Path ?? "",
            Matcher = check.Matcher ?? "",
            IntervalSeconds = check.IntervalSeconds ?? 0,
            TimeoutSeconds = check.TimeoutSeconds ?? 0,
            HealthyThreshold = check.HealthyThresholdCount ?? 0,
            UnhealthyThreshold = check.UnhealthyThresholdCount ?? 0,
            LoadBalancerArns = group.LoadBalancerArns.ToPrintableList(),
            Targets = infos.ToPrintableList(),
            HealthyCount = infos.Count(t => t.State == ElbTargetState.Healthy),
            UnhealthyCount = infos.Count(t => t.State == ElbTargetState.Unhealthy),
        };
    }
}

/// <summary>Reads target groups (one batched DescribeTargetGroups) and their targets' health (one DescribeTargetHealth each, concurrently).</summary>
public sealed class TargetGroupReader
{
    private readonly AwsFacts _facts;

    internal TargetGroupReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Every group in <paramref name="arns"/>, by ARN. A deleted group is absent; a group whose reads fail has gaps; the others are unaffected.</summary>
    public async Task<IReadOnlyDictionary<string, TargetGroupReading>> ReadAsync(IReadOnlyList<string> arns, CancellationToken cancellationToken)
    {
        var groups = await ReadGroupsAsync(arns.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var readings = await Task.WhenAll(groups.Select(async pair =>
        {
            var targets = pair.Value.IsRead
                ? await _facts.Policy.ReadAsync($"target health of {pair.Value.Value.Name}",
                    () => _facts.Session.LoadBalancing.DescribeTargetHealthAsync(pair.Key, cancellationToken)).ConfigureAwait(false)
                : pair.Value.Select(_ => (IReadOnlyList<ElbTargetHealth>)Array.Empty<ElbTargetHealth>());
            return new TargetGroupReading(pair.Key, pair.Value, targets);
        })).ConfigureAwait(false);
        return readings.ToDictionary(r => r.Arn, StringComparer.Ordinal);
    }

    /// <summary>
    /// The groups' settings in one call. DescribeTargetGroups fails whole (TargetGroupNotFound) when one of several
    /// ARNs names a deleted group: then each is asked for alone, so only the deleted one is absent.
    /// </summary>
    private async Task<Dictionary<string, Fact<ElbTargetGroup>>> ReadGroupsAsync(IReadOnlyList<string> arns, CancellationToken cancellationToken)
    {
        if (arns.Count == 0)
        {
            return new Dictionary<string, Fact<ElbTargetGroup>>(StringComparer.Ordinal);
        }

        var all = await DescribeAsync(arns, cancellationToken).ConfigureAwait(false);
        if (all.Absent && arns.Count > 1)
        {
            var one = await Task.WhenAll(arns.Select(arn => DescribeAsync(new[] { arn }, cancellationToken))).ConfigureAwait(false);
            return arns.Zip(one, (arn, fact) => (arn, fact)).ToDictionary(x => x.arn, x => Single(x.arn, x.fact), StringComparer.Ordinal);
        }

        return arns.ToDictionary(arn => arn, arn => Single(arn, all), StringComparer.Ordinal);
    }

    private Task<Fact<IReadOnlyList<ElbTargetGroup>>> DescribeAsync(IReadOnlyList<string> arns, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync(
            arns.Count == 1 ? $"target group {AwsArn.TargetGroupName(arns[0])}" : $"target groups {string.Join(", ", arns.Select(AwsArn.TargetGroupName))}",
            () => _facts.Session.LoadBalancing.DescribeTargetGroupsAsync(arns, cancellationToken));

    private static Fact<ElbTargetGroup> Single(string arn, Fact<IReadOnlyList<ElbTargetGroup>> groups) =>
        groups.IsRead
            ? groups.Value.FirstOrDefault(g => g.Arn == arn) is { } group ? Fact<ElbTargetGroup>.Of(group) : Fact<ElbTargetGroup>.NotFound()
            : groups.Absent ? Fact<ElbTargetGroup>.NotFound() : Fact<ElbTargetGroup>.Unread(groups.Gap!);
}
