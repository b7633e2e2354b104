using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using DeployOps.Aws.Ecs;

namespace DeployOps.Networking;

/// <summary>
/// Somewhere a task must reach on 443 before its containers start, and whether this task definition needs it: an AWS
/// service endpoint (<see cref="EndpointService"/>, reachable through a VPC endpoint) or a registry on the internet.
/// </summary>
/// <param name="Name">As a person says it: "ECR API", "Secrets Manager", "Image registry docker.io".</param>
/// <param name="EndpointService">The VPC endpoint service, e.g. com.amazonaws.us-east-1.logs; null for the public internet only.</param>
/// <param name="Host">The host the task dials.</param>
/// <param name="Why">What the task needs it for, or why it does not ("not used: ...").</param>
/// <param name="Needed">False when the task definition does not use it: the hop is Skipped.</param>
public sealed record EgressDestination(string Name, string? EndpointService, string Host, string Why, bool Needed)
{
    /// <summary>True for a gateway-endpoint service (S3): reached through a route table, not an interface in subnets.</summary>
    public bool HasGatewayEndpoint => EndpointService?.EndsWith(".s3", StringComparison.Ordinal) == true;
}

/// <summary>Which destinations a task definition needs (runbook 004 "NAT gateway connectivity failures": ECR image pulls, Secrets Manager).</summary>
public static class EgressDestinations
{
    private static readonly Regex EcrImage = new(@"^\d{12}\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.amazonaws\.com/", RegexOptions.CultureInvariant);

    /// <summary>
    /// In the order a Fargate task needs them: Secrets Manager and SSM Parameter Store (secrets), ECR API (registry auth),
    /// ECR registry and S3 (the image), one "Image registry" per public registry the images come from, then CloudWatch
    /// Logs (the log driver, when the container starts); each needed or not.
    /// </summary>
    public static IReadOnlyList<EgressDestination> For(EcsTaskDefinition definition, string region)
    {
        var containers = definition.ContainerDefinitions;
        var revision = $"{definition.Family}:{definition.Revision}";
        var secrets = containers.SelectMany(c => c.Secrets).ToList();
        var fromSecretsManager = secrets.Where(s => s.ValueFrom.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal)).Select(s => s.Name).ToList();
        var fromSsm = secrets.Where(s => !s.ValueFrom.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal)).Select(s => s.Name).ToList();
        var images = containers.Select(c => c.Image ?? "").Where(i => i.Length > 0).ToList();
        var ecr = images.Where(i => EcrImage.IsMatch(i)).ToList();
        var logs = containers.Where(c => c.LogConfiguration?.LogDriver == "awslogs").Select(c => c.Name).ToList();

        EgressDestination Aws(string name, string service, string host, IReadOnlyList<string> users, string use, string unused) =>
            new(name, $"com.amazonaws.{region}.{service}", host, users.Count > 0 ? $"{use} {string.Join(", ", users)}" : $"not used: {revision} {unused}", users.Count > 0);

        var destinations = new List<EgressDestination>
        {
            Aws("Secrets Manager", "secretsmanager", $"secretsmanager.{region}.amazonaws.com", fromSecretsManager, "secrets", "has no secret from Secrets Manager"),
            Aws("SSM Parameter Store", "ssm", $"ssm.{region}.amazonaws.com", fromSsm, "parameters", "has no secret from SSM Parameter Store"),
            Aws("ECR API", "ecr.api", $"api.ecr.{region}.amazonaws.com", ecr, "registry auth for", "pulls no image from ECR"),
            Aws("ECR registry", "ecr.dkr", ecr.Select(RegistryHost).FirstOrDefault() ?? $"<account>.dkr.ecr.{region}.amazonaws.com", ecr, "image manifests of", "pulls no image from ECR"),
            Aws("S3", "s3", $"prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com", ecr, "image layers of", "pulls no image from ECR"),
        };
        destinations.AddRange(images.Where(i => !EcrImage.IsMatch(i)).GroupBy(RegistryHost, StringComparer.Ordinal).Select(registry => new EgressDestination(
            $"Image registry {registry.Key}", null, registry.Key == "docker.io" ? "registry-1.docker.io" : registry.Key, $"pulls {string.Join(", ", registry.Distinct())}", true)));
        destinations.Add(Aws("CloudWatch Logs", "logs", $"logs.{region}.amazonaws.com", logs, "awslogs of containers", "sends no container's logs to CloudWatch Logs"));
        return destinations;
    }

    /// <summary>The registry an image reference names: its first segment when it looks like a host, else docker.io.</summary>
    public static string RegistryHost(string image)
    {
        var slash = image.IndexOf('/');
        var first = slash < 0 ? "" : image.Substring(0, slash);
        return first.IndexOf('.') >= 0 || first.IndexOf(':') >= 0 || first == "localhost" ? first : "docker.io";
    }
}
