using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>
/// The tasks' network: each task's interface takes an IP address of its subnet from PROVISIONING until it is STOPPED
/// (DescribeSubnets counts them), a deployment cannot place a task where no subnet has one left, and before its
/// containers start a task must reach what it needs (<see cref="Egress"/>): Secrets Manager or SSM for its secrets, the
/// image registry (ECR's api and dkr endpoints and S3, or the public internet), and CloudWatch Logs.
/// </summary>
public sealed partial class EcsRuntimeSimulator
{
    // The addresses ECS's timeout messages dial (any public address would do).
    private const string AwsAddress = "52.94.133.131:443";
    private const string DockerHubAddress = "54.236.113.205:443";

    private static readonly Regex EcrImage = new(@"^(?<registry>\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com)/(?<repository>[^:@]+)(?::(?<tag>[^@]+))?", RegexOptions.CultureInvariant);

    /// <summary>Interfaces the world's tasks hold in <paramref name="subnetId"/> (moto knows nothing of them).</summary>
    private int HeldAddresses(string subnetId) => _tasks.Values.Count(t => t.SubnetId == subnetId && t.Phase != TaskPhase.Stopped);

    /// <summary>Free addresses of a subnet: moto's count less the world's task interfaces; unknown counts as plenty.</summary>
    private int FreeAddresses(ConfigSnapshot snapshot, string subnetId) =>
        snapshot.Subnets.GetValueOrDefault(subnetId)?.AvailableIpAddresses is { } available ? available - HeldAddresses(subnetId) : int.MaxValue;

    /// <summary>
    /// The subnet for a new task, as Fargate spreads them: of the service's subnets with a free address, the one with the
    /// fewest of the service's tasks (the first listed on a tie). Null when none has a free address.
    /// </summary>
    private string? SubnetForNewTask(WorldService service, ConfigSnapshot snapshot)
    {
        if (service.Subnets.Count == 0)
        {
            return "";
        }

        return service.Subnets
            .Select((subnet, order) => (subnet, order, tasks: TasksOf(service).Count(t => t.SubnetId == subnet && t.Phase != TaskPhase.Stopped)))
            .Where(s => FreeAddresses(snapshot, s.subnet) > 0)
            .OrderBy(s => s.tasks).ThenBy(s => s.order)
            .Select(s => s.subnet)
            .FirstOrDefault();
    }

    /// <summary>The scheduler could not place a task: one event, as ECS omits repeats of the same message.</summary>
    private void ReportNoFreeAddresses(WorldService service)
    {
        var snapshot = World.Configuration.Snapshot(service.Region);
        var subnets = string.Join(", ", service.Subnets.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} ({Math.Max(0, FreeAddresses(snapshot, s))} free)")));
        var message = $"was unable to place a task. Reason: InsufficientFreeAddressesInSubnet: no free IP address for the task's network interface in subnets {subnets}.";
        if (service.Events.FirstOrDefault()?.Message.EndsWith(message, StringComparison.Ordinal) != true)
        {
            service.AddEvent(message, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>Why the task cannot start for the network, and the container whose image could not be pulled (if that is why); null when it can.</summary>
    private (string Reason, WorldContainer? Container)? EgressFailure(WorldTask task, ConfigSnapshot snapshot)
    {
        var network = new TaskNetwork(task.SubnetId, task.Service.SecurityGroups, task.Service.AssignPublicIp);
        string? Blocked(string? service) => Egress.Blocked(snapshot, task.Region, network, service);
        var region = task.Region;
        var unable = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:";
        var timeout = $"dial tcp {AwsAddress}: i/o timeout";

        foreach (var secret in task.Containers.SelectMany(c => c.Spec.SecretSources ?? []).Distinct(StringComparer.Ordinal))
        {
            var secretsManager = secret.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal);
            if (Blocked(secretsManager ? "secretsmanager" : "ssm") is not null)
            {
                return (secretsManager
                    ? $"{unable} unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret {secret} from secrets manager: " +
                      $"RequestError: send request failed caused by: Post \"https://secretsmanager.{region}.amazonaws.com/\": {timeout}. Please check your task network configuration."
                    : $"{unable} unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestError: send request failed caused by: " +
                      $"Post \"https://ssm.{region}.amazonaws.com/\": {timeout}. Please check your task network configuration.", null);
            }
        }

        foreach (var container in task.Containers)
        {
            var image = container.Spec.Image;
            if (EcrImage.Match(image) is { Success: true } ecr)
            {
                if (Blocked("ecr.api") is not null)
                {
                    return ($"{unable} unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: " +
                            $"Post \"https://api.ecr.{region}.amazonaws.com/\": {timeout}. Please check your task network configuration.", null);
                }

                if (Blocked("ecr.dkr") is not null)
                {
                    return ($"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: failed to do request: " +
                            $"Head \"https://{ecr.Groups["registry"].Value}/v2/{ecr.Groups["repository"].Value}/manifests/{Tag(ecr)}\": {timeout}", container);
                }

                if (Blocked("s3") is not null)
                {
                    return ($"CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: " +
                            $"Get \"https://prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com/\": {timeout}", container);
                }
            }
            else if (Blocked(null) is not null)
            {
                var reference = image.Contains('/', StringComparison.Ordinal) ? image : "library/" + image;
                var (repository, tag) = reference.LastIndexOf(':') is var colon and > 0 ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
                return ($"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/{reference}: failed to do request: " +
                        $"Head \"https://registry-1.docker.io/v2/{repository}/manifests/{tag}\": dial tcp {DockerHubAddress}: i/o timeout", container);
            }
        }

        if (task.Containers.Any(c => c.Spec.LogGroup is not null) && Blocked("logs") is not null)
        {
            return ("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: " +
                    $"RequestError: send request failed caused by: Post \"https://logs.{region}.amazonaws.com/\": {timeout} : exit status 1", null);
        }

        return null;
    }

    private static string Tag(Match ecr) => ecr.Groups["tag"].Success ? ecr.Groups["tag"].Value : "latest";

    /// <summary>moto's DescribeSubnets, with each subnet's free addresses less the interfaces of the world's tasks in it.</summary>
    private async Task<AwsResponse?> DescribeSubnetsAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var reply = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return reply;
        }

        var document = XDocument.Parse(reply.BodyText);
        lock (Gate)
        {
            foreach (var subnet in document.Descendants().Where(e => e.Name.LocalName == "item" && e.Parent?.Name.LocalName == "subnetSet"))
            {
                var id = subnet.Elements().FirstOrDefault(e => e.Name.LocalName == "subnetId")?.Value;
                var count = subnet.Elements().FirstOrDefault(e => e.Name.LocalName == "availableIpAddressCount");
                if (id is not null && count is not null && int.TryParse(count.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var available))
                {
                    count.Value = Math.Max(0, available - HeldAddresses(id)).ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        return AwsResponse.Xml(document.Declaration + document.ToString(SaveOptions.DisableFormatting), reply.Status);
    }
}
