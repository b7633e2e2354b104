using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Ecs;
using DeployOps.Health;

namespace DeployOps.Facts;

/// <summary>Reads the network path from a service's load balancers to its tasks: their security groups and subnets.</summary>
public sealed class NetworkPathReader
{
    private readonly AwsFacts _facts;

    internal NetworkPathReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// Why the load balancers cannot reach the service's tasks on <paramref name="port"/> (one sentence per missing rule;
    /// empty when the security groups allow it, or when the service is not in a VPC or has no load balancer).
    /// </summary>
    public Task<Fact<IReadOnlyList<string>>> BlockedAsync(EcsService service, IReadOnlyList<TargetGroupHealth> groups, int port, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"the security groups between the load balancer and {service.Name}", async () =>
        {
            var taskGroups = service.NetworkConfiguration?.SecurityGroups ?? Array.Empty<string>();
            var balancerArns = groups.SelectMany(g => g.LoadBalancerArns).Distinct().ToList();
            if (taskGroups.Count == 0 || balancerArns.Count == 0)
            {
                return (IReadOnlyList<string>)Array.Empty<string>();
            }

            var balancers = await _facts.Session.LoadBalancing.DescribeLoadBalancersAsync(balancerArns, cancellationToken).ConfigureAwait(false);
            var balancerGroups = balancers.SelectMany(b => b.SecurityGroups).Distinct().ToList();
            var balancerSubnets = balancers.SelectMany(b => b.SubnetIds).ToList();
            var taskSubnets = service.NetworkConfiguration?.Subnets ?? Array.Empty<string>();
            var securityGroups = _facts.Session.Ec2.DescribeSecurityGroupsAsync(taskGroups.Concat(balancerGroups).Distinct().ToList(), cancellationToken);
            var subnets = _facts.Session.Ec2.DescribeSubnetsAsync(balancerSubnets.Concat(taskSubnets).Distinct().ToList(), cancellationToken);
            await Task.WhenAll(securityGroups, subnets).ConfigureAwait(false);
            var cidrs = subnets.Result.Where(s => s.CidrBlock is not null).ToDictionary(s => s.Id, s => s.CidrBlock!, StringComparer.Ordinal);
            var source = new NetworkSide("the load balancer", balancerGroups, balancerSubnets.Where(cidrs.ContainsKey).Select(id => cidrs[id]).ToList());
            var destination = new NetworkSide("the service's tasks", taskGroups, taskSubnets.Where(cidrs.ContainsKey).Select(id => cidrs[id]).ToList());
            return SecurityGroupPath.Explain(securityGroups.Result, source, destination, port);
        });
}
