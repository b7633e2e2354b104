using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Deployments;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Networking;

/// <summary>One inbound rule a failing hop names, to be added: what Repair-EcsNetworkPath's ShouldProcess shows.</summary>
public sealed record SecurityGroupRulePlan(string Cluster, string Service, string Hop, MissingIngressRule Rule) : IChangePlan
{
    public string ShouldProcessTarget => $"security group {Name(Rule.GroupId, Rule.GroupName)}";

    public string ShouldProcessAction => $"Allow inbound TCP {Rule.Port} from security group {Name(Rule.SourceGroupId, Rule.SourceGroupName)} (hop '{Hop}' of {Cluster}/{Service})";

    private static string Name(string id, string? name) => name is null ? id : $"{id} ({name})";
}

/// <summary>
/// Repair-EcsNetworkPath: analyses the path again and, for each failing hop whose fix is one missing inbound rule, adds
/// exactly that rule (AuthorizeSecurityGroupIngress, TCP, the port, the source group) and nothing else: no route, ACL or
/// egress change, which the report names for a person to make.
/// </summary>
public sealed class NetworkPathRepairer
{
    private readonly AwsFacts _facts;

    public NetworkPathRepairer(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The rules to add (none when no failing hop is fixed by one) and the report they come from.</summary>
    public async Task<(NetworkPathReport Report, IReadOnlyList<SecurityGroupRulePlan> Plans)> PlanAsync(NetworkPathRequest request, CancellationToken cancellationToken)
    {
        var report = await new NetworkPathInspector(_facts).InspectAsync(request, cancellationToken).ConfigureAwait(false);
        var plans = report.Hops.Where(h => h.OutcomeKind == HopOutcome.Fail && h.MissingRule is not null)
            .Select(h => new SecurityGroupRulePlan(report.Cluster, report.Service, h.Name, h.MissingRule!))
            .GroupBy(p => (p.Rule.GroupId, p.Rule.Port, p.Rule.SourceGroupId))
            .Select(same => same.First())
            .ToList();
        return (report, plans);
    }

    /// <summary>Adds the rule; a rule EC2 already has is reported as not added, never as an error.</summary>
    public async Task<SecurityGroupRuleChange> ApplyAsync(SecurityGroupRulePlan plan, CancellationToken cancellationToken)
    {
        var rule = plan.Rule;
        _facts.Observer.Verbose($"{plan.ShouldProcessTarget}: {plan.ShouldProcessAction}.");
        var added = true;
        try
        {
            await ServiceRedeployer.Translated(() => _facts.Session.Ec2.AuthorizeSecurityGroupIngressAsync(rule.GroupId, rule.Port, rule.SourceGroupId,
                $"DeployOps Repair-EcsNetworkPath: {plan.Hop} of {plan.Service}", cancellationToken), rule.GroupId).ConfigureAwait(false);
        }
        catch (Errors.DeployOpsException ex) when (ex.Error.Kind == Errors.DeployOpsErrorKind.AlreadyExists)
        {
            _facts.Observer.Verbose($"{rule} is there already.");
            added = false;
        }

        return new SecurityGroupRuleChange
        {
            Cluster = plan.Cluster,
            Service = plan.Service,
            Hop = plan.Hop,
            GroupId = rule.GroupId,
            GroupName = rule.GroupName,
            Port = rule.Port,
            SourceGroupId = rule.SourceGroupId,
            SourceGroupName = rule.SourceGroupName,
            Added = added,
            ChangedAt = DateTimeOffset.UtcNow,
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
