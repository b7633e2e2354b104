using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.World;

/// <summary>The world as <c>GET /_sandbox/state</c> reports it.</summary>
public sealed partial class SandboxWorld
{
    /// <summary>The state, after re-reading moto's configuration if a write made it stale, so a change is visible as soon as its call returned.</summary>
    public async Task<JsonObject> DescribeStateAsync(CancellationToken cancellationToken)
    {
        await RefreshSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        return DescribeState();
    }

    private JsonObject DescribeState()
    {
        var loadBalancers = LoadBalancerUrls();
        lock (_gate)
        {
            var services = _services.Values.OrderBy(s => s.ClusterName).ThenBy(s => s.Name).Select(s => (JsonNode)new JsonObject
            {
                ["cluster"] = s.ClusterName,
                ["service"] = s.Name,
                ["serviceArn"] = s.Arn,
                ["region"] = s.Region,
                ["desiredCount"] = s.DesiredCount,
                ["runningCount"] = TasksOf(s).Count(t => t.DesiredStatus == "RUNNING" && t.Phase == TaskPhase.Running),
                ["deploymentsStarted"] = s.DeploymentsStarted,
                ["deployments"] = new JsonArray(s.Deployments.Select(d => (JsonNode)new JsonObject
                {
                    ["id"] = d.Id,
                    ["status"] = d.Status,
                    ["taskDefinition"] = d.TaskDefinition.Arn,
                    ["rolloutState"] = d.RolloutState,
                    ["failedTasks"] = d.FailedTasks,
                }).ToArray()),
                ["tasks"] = new JsonArray(TasksOf(s).OrderBy(t => t.CreatedAt).Select(t => (JsonNode)new JsonObject
                {
                    ["taskId"] = t.Id,
                    ["deploymentId"] = t.Deployment.Id,
                    ["lastStatus"] = t.LastStatus,
                    ["desiredStatus"] = t.DesiredStatus,
                    ["address"] = $"{t.IpAddress}:{t.ListenPort}",
                    ["listening"] = t.Listener is not null,
                    ["stoppedReason"] = t.StoppedReason,
                }).ToArray()),
            }).ToArray();

            var targetGroups = _snapshots.Values.SelectMany(snapshot => snapshot.TargetGroups.Values.Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Name,
                ["arn"] = g.Arn,
                ["healthCheckPath"] = g.HealthCheckPath,
                ["matcher"] = g.Matcher,
                ["targets"] = new JsonArray(_targets.ForGroup(g.Arn).Select(e =>
                {
                    var (state, reason, description) = TargetHealthBook.Report(e, g);
                    return (JsonNode)new JsonObject { ["id"] = e.Id, ["port"] = e.Port, ["state"] = state, ["reason"] = reason, ["description"] = description };
                }).ToArray()),
            })).ToArray();

            return new JsonObject
            {
                ["scenario"] = ScenarioName,
                ["description"] = ScenarioDescription,
                ["motoUrl"] = _moto.BaseUrl.GetLeftPart(UriPartial.Authority),
                ["clock"] = new JsonObject { ["speed"] = Clock.Speed, ["worldSeconds"] = System.Math.Round(Clock.Now, 3) },
                ["sharedLoopbackAddress"] = _addresses.SharesOneAddress,
                ["services"] = new JsonArray(services),
                ["targetGroups"] = new JsonArray(targetGroups),
                ["loadBalancers"] = new JsonArray(loadBalancers.Select(l => (JsonNode)new JsonObject
                {
                    ["name"] = l.LoadBalancerName,
                    ["dnsName"] = l.DnsName,
                    ["listenerPort"] = l.ListenerPort,
                    ["url"] = l.Url,
                }).ToArray()),
            };
        }
    }
}
