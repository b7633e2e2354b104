using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Wafv2;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Waf;

/// <summary>
/// Get-WafBlockedRequest: the web ACL in front of a load balancer, its BlockedRequests by rule (one GetMetricData) and
/// its sampled requests (one GetSampledRequests per rule), classified into the rule responsible for a 403.
/// </summary>
public sealed class WafBlockedRequestInspector
{
    private readonly AwsFacts _facts;

    public WafBlockedRequestInspector(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The report, or the error a load balancer that does not exist is.</summary>
    public async Task<IReadOnlyList<ItemOutcome<WafBlockedRequestReport>>> InspectAsync(WafBlockedRequestQuery query, CancellationToken cancellationToken)
    {
        Validate(query);
        var now = DateTimeOffset.UtcNow;
        var window = query.Window(now);
        // WAF answers samples of the last three hours only.
        var sampleWindow = new TimeWindow(window.Start < now - WafBlockedRequestQuery.SampleRetention ? now - WafBlockedRequestQuery.SampleRetention : window.Start, window.End);
        try
        {
            var balancer = await _facts.LoadBalancers.FindAsync(query.LoadBalancer, cancellationToken).ConfigureAwait(false);
            if (balancer.Absent)
            {
                return new[]
                {
                    ItemOutcome<WafBlockedRequestReport>.Failure(_facts.LoadBalancers.NotFound(query.LoadBalancer)),
                };
            }

            var gaps = new List<Gap>();
            if (!balancer.IsRead)
            {
                gaps.Add(balancer.Gap!);
                return new[] { ItemOutcome<WafBlockedRequestReport>.Success(Report(query, query.LoadBalancer, "", null, Array.Empty<WafRuleReading>(), null, window, gaps)) };
            }

            var lb = balancer.Value;
            var acl = await _facts.Waf.WebAclForResourceAsync(lb.Arn, lb.Name, cancellationToken).ConfigureAwait(false);
            if (!acl.IsRead || acl.Value is null)
            {
                gaps.AddRange(acl.Gap is { } gap ? new[] { gap } : Array.Empty<Gap>());
                return new[] { ItemOutcome<WafBlockedRequestReport>.Success(Report(query, lb.Name, lb.Arn, null, Array.Empty<WafRuleReading>(), null, window, gaps)) };
            }

            var webAcl = acl.Value;
            var samplesTask = _facts.Waf.SampledRequestsAsync(webAcl, sampleWindow, query.MaxSamples, cancellationToken);
            var blockedTask = _facts.Waf.BlockedRequestsAsync(webAcl, window, cancellationToken);
            var samples = await samplesTask.ConfigureAwait(false);
            var blocked = await blockedTask.ConfigureAwait(false);
            gaps.AddRange(samples.Values.Select(s => s.Gap).Concat(new[] { blocked.Gap }).Where(g => g is not null).Select(g => g!));
            var counts = blocked.ValueOr(null);
            var readings = webAcl.Rules.Select(rule => new WafRuleReading(
                rule,
                samples[rule.Name],
                counts is null ? null : counts.TryGetValue(rule.MetricName, out var count) ? count : 0)).ToList();
            var total = counts is null ? (double?)null : counts.TryGetValue(WafReader.AllRules, out var all) ? all : 0;
            return new[] { ItemOutcome<WafBlockedRequestReport>.Success(Report(query, lb.Name, lb.Arn, webAcl, readings, total, window, gaps)) };
        }
        catch (AwsServiceException ex)
        {
            return new[] { ItemOutcome<WafBlockedRequestReport>.Failure(ErrorTranslator.Translate(ex, query.LoadBalancer)) };
        }
        catch (AwsCallException ex)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, query.LoadBalancer));
        }
    }

    private static void Validate(WafBlockedRequestQuery query)
    {
        if (string.IsNullOrWhiteSpace(query.LoadBalancer))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.LoadBalancerNotFound, DeployOpsErrorKind.InvalidArgument,
                $"No load balancer to read (the name is '{query.LoadBalancer}'): give -LoadBalancer with the name or ARN of an application load balancer.", query.LoadBalancer));
        }

        if (query.ClientIp is { } ip && !IsAddress(ip))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidClientIp, DeployOpsErrorKind.InvalidArgument,
                $"-ClientIp '{ip}' is not an IP address; expected an IPv4 or IPv6 address such as 203.0.113.7.", ip));
        }

        if (query.MaxSamples < 1 || query.MaxSamples > Wafv2Client.MaxSamples)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidSampleCount, DeployOpsErrorKind.InvalidArgument,
                $"-MaxSamples must be 1 to {Wafv2Client.MaxSamples}; it is {query.MaxSamples}.", query.MaxSamples));
        }
    }

    /// <summary>A full IPv4 dotted quad or an IPv6 address (IPAddress.TryParse alone also takes "10.1" and "12345").</summary>
    private static bool IsAddress(string text) =>
        IPAddress.TryParse(text, out var address) &&
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? text.Contains(":") : text.Split('.').Length == 4);

    private WafBlockedRequestReport Report(WafBlockedRequestQuery query, string loadBalancer, string loadBalancerArn, WafWebAcl? webAcl,
        IReadOnlyList<WafRuleReading> readings, double? total, TimeWindow window, IReadOnlyList<Gap> gaps)
    {
        var finding = WafClassifier.Classify(loadBalancer, webAcl, readings, query.ClientIp, window, gaps.Count == 0);
        var redact = _facts.Redactor;
        return new WafBlockedRequestReport
        {
            LoadBalancer = loadBalancer,
            LoadBalancerArn = loadBalancerArn,
            WebAcl = webAcl?.Name,
            WebAclArn = webAcl?.Arn,
            DefaultAction = webAcl?.DefaultAction,
            ClientIp = query.ClientIp,
            StartTime = window.Start,
            EndTime = window.End,
            Verdict = finding.Verdict,
            BlockedRequests = total,
            ResponsibleRule = finding.ResponsibleRule,
            Cause = redact.Redact(finding.Cause),
            Fix = finding.Fix,
            Rules = finding.Rules.ToPrintableList(),
            Samples = finding.Samples.Select(s => new WafBlockedSample
            {
                Timestamp = s.Timestamp,
                ClientIp = s.ClientIp,
                Country = s.Country,
                Method = s.Method,
                Uri = redact.Redact(s.Uri),
                Rule = s.Rule,
                Action = s.Action,
            }).ToPrintableList(),
            Complete = gaps.Count == 0,
            NotRead = gaps.Select(g => g.ToString()).ToPrintableList(),
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
