using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Networking;

/// <summary>
/// Test-VpcNetwork: reads a VPC's network (Test-EcsNetworkPath's reader: subnets, security groups, route tables, NAT and
/// internet gateways, endpoints, ACLs, at once), its flow logs, each flow log's log group and delivery role, then hands them to
/// <see cref="VpcNetworkClassifier"/>.
/// </summary>
public sealed class VpcNetworkInspector
{
    private static readonly Regex VpcIdPattern = new("^vpc-[0-9a-f]{8,17}$", RegexOptions.CultureInvariant);

    private readonly AwsFacts _facts;

    public VpcNetworkInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The report of one VPC; throws <see cref="DeployOpsException"/> for a malformed id or a VPC that does not exist.</summary>
    public async Task<VpcNetworkReport> InspectAsync(string vpcId, CancellationToken cancellationToken)
    {
        if (!VpcIdPattern.IsMatch(vpcId))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidVpcId, DeployOpsErrorKind.InvalidArgument,
                $"'{vpcId}' is not a VPC id; expected vpc- and 8 or 17 hex digits, e.g. vpc-0123456789abcdef0.", vpcId));
        }

        var network = _facts.Network.ReadVpcByIdAsync(vpcId, cancellationToken);
        var flowLogs = _facts.Network.FlowLogsAsync(vpcId, cancellationToken);
        await Task.WhenAll(network, flowLogs).ConfigureAwait(false);

        // Every VPC has a main route table: none at all means the VPC does not exist (the describes filter by it).
        if (network.Result.RouteTables is { IsRead: true, Value.Count: 0 })
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.VpcNotFound, DeployOpsErrorKind.NotFound, $"VPC '{vpcId}' does not exist in this account and region.", vpcId)
            {
                RecommendedAction = "Check the id and -Region: aws ec2 describe-vpcs --query 'Vpcs[].VpcId'",
            });
        }

        var groups = flowLogs.Result.ValueOr(null)?.Select(f => f.LogGroupName).Where(g => g is not null).Select(g => g!).Distinct(StringComparer.Ordinal).ToList()
                     ?? new System.Collections.Generic.List<string>();
        var roleArns = flowLogs.Result.ValueOr(null)?.Where(f => f.DeliversToCloudWatchLogs && f.DeliverLogsPermissionArn is not null).Select(f => f.DeliverLogsPermissionArn!)
                           .Distinct(StringComparer.Ordinal).ToList()
                       ?? new System.Collections.Generic.List<string>();
        var existsTask = Task.WhenAll(groups.Select(g => _facts.Network.LogGroupExistsAsync(g, cancellationToken)));
        var rolesTask = Task.WhenAll(roleArns.Select(arn => _facts.Iam.RoleAsync(arn, cancellationToken)));
        await Task.WhenAll(existsTask, rolesTask).ConfigureAwait(false);
        var exists = existsTask.Result;
        var roles = rolesTask.Result;
        var facts = new VpcNetworkFacts
        {
            Region = _facts.Session.Region.Name,
            Network = network.Result,
            FlowLogs = flowLogs.Result,
            LogGroups = groups.Select((g, i) => (g, i)).ToDictionary(x => x.g, x => exists[x.i], StringComparer.Ordinal),
            DeliveryRoles = roleArns.Select((arn, i) => (arn, i)).ToDictionary(x => x.arn, x => roles[x.i], StringComparer.Ordinal),
        };
        var checks = VpcNetworkClassifier.Classify(facts);
        var verdict = DiagnosticCheck.Verdict(checks);
        var failing = checks.FirstOrDefault(c => c.OutcomeKind == HopOutcome.Fail);
        return new VpcNetworkReport
        {
            VpcId = vpcId,
            StatusKind = verdict,
            Complete = checks.All(c => c.OutcomeKind != HopOutcome.Unknown),
            FailingCheck = failing?.Name,
            Checks = checks.ToPrintableList(),
            RecommendedAction = failing is not null
                ? $"Runbook 004 'Networking issues', {failing.Name}: {failing.Fix}"
                : verdict == HopOutcome.Unknown
                    ? "Some facts could not be read (checks Unknown): run Test-VpcNetwork again, or allow more attempts with AWS_MAX_ATTEMPTS."
                    : "No action needed: every check of the VPC passes.",
            CheckedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
