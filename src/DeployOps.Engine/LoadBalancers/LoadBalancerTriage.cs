using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Facts;
using DeployOps.Health;
using DeployOps.Operations;

namespace DeployOps.LoadBalancers;

/// <summary>
/// Get-DeploymentHealth's look at the load balancers in front of services (issue 9: it and Get-LoadBalancerHealth agree):
/// one GetMetricData of every load balancer's 502/503/504 counts over the last <see cref="Window"/>, then, only for one
/// that answered users 5xx, Get-LoadBalancerHealth's reading and classifier. Each service gets the causes about its load
/// balancers as a whole (502, 504, earlier 503s) or about its own target groups.
/// </summary>
public sealed class LoadBalancerTriage
{
    /// <summary>How far back the 5xx counts look.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private static readonly LoadBalancerCauseKind[] WholeBalancer =
        { LoadBalancerCauseKind.TargetClosedConnection, LoadBalancerCauseKind.SlowerThanIdleTimeout, LoadBalancerCauseKind.NoHealthyTargetsEarlier };

    private readonly AwsFacts _facts;

    public LoadBalancerTriage(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>Gives each service's facts the load balancers checked and the causes of their 5xx; what cannot be read is a gap on the services concerned.</summary>
    public async Task ApplyAsync(IReadOnlyList<ServiceFacts> services, IReadOnlyDictionary<string, TargetGroupReading> groups, CancellationToken cancellationToken)
    {
        var balancersOf = services.ToDictionary(f => f, f => f.TargetGroups.Select(g => g.TargetGroupArn)
            .SelectMany(arn => groups.TryGetValue(arn, out var reading) && reading.Group.IsRead ? reading.Group.Value.LoadBalancerArns : Array.Empty<string>())
            .Distinct(StringComparer.Ordinal).ToList());
        var all = balancersOf.Values.SelectMany(arns => arns).Distinct(StringComparer.Ordinal).ToList();
        if (all.Count == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var window = new TimeWindow(now - Window, now);
        var errors = await _facts.Metrics.LoadBalancerErrorsAsync(all, window.Start, window.End, cancellationToken).ConfigureAwait(false);
        if (!errors.IsRead)
        {
            foreach (var service in balancersOf.Where(x => x.Value.Count > 0).Select(x => x.Key))
            {
                service.AddGap(errors.Gap!);
            }

            return;
        }

        var failing = all.Where(arn => errors.Value[arn] > 0).ToList();
        var readings = await Task.WhenAll(failing.Select(arn => ReadAsync(arn, window, cancellationToken))).ConfigureAwait(false);
        var byArn = failing.Zip(readings, (arn, reading) => (arn, reading)).ToDictionary(x => x.arn, x => x.reading, StringComparer.Ordinal);
        foreach (var pair in balancersOf.Where(x => x.Value.Count > 0))
        {
            var (service, arns) = (pair.Key, pair.Value);
            var ownGroups = service.TargetGroups.Select(g => g.TargetGroupName).ToList();
            service.LoadBalancersChecked = arns.Select(AwsArn.TargetGroupName).ToList();
            var causes = new List<LoadBalancerCause>();
            foreach (var arn in arns.Where(byArn.ContainsKey))
            {
                var (found, gaps) = byArn[arn];
                causes.AddRange(found.Where(c => c.StatusCode is 502 or 503 or 504 && (WholeBalancer.Contains(c.Kind) || ownGroups.Contains(c.Resource))));
                foreach (var gap in gaps)
                {
                    service.AddGap(gap);
                }
            }

            // 503s of earlier moments last: a cause seen now names the fix first.
            service.LoadBalancerCauses = causes.OrderBy(c => c.Kind == LoadBalancerCauseKind.NoHealthyTargetsEarlier ? 1 : 0).ToList();
        }
    }

    private async Task<(IReadOnlyList<LoadBalancerCause> Causes, IReadOnlyList<Gap> Gaps)> ReadAsync(string arn, TimeWindow window, CancellationToken cancellationToken)
    {
        var found = await _facts.LoadBalancers.FindAsync(arn, cancellationToken).ConfigureAwait(false);
        if (!found.IsRead)
        {
            return (Array.Empty<LoadBalancerCause>(), found.Gap is { } gap ? new[] { gap } : Array.Empty<Gap>());
        }

        var facts = await _facts.LoadBalancers.ReadAsync(found.Value, window, resolveDns: false, cancellationToken).ConfigureAwait(false);
        var verdict = LoadBalancerClassifier.Classify(facts);
        return (verdict.Causes.Select(c => c.Redacted(_facts.Redactor)).ToList(), facts.Gaps.ToList());
    }
}
