using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>
/// Reads a scenario's <c>lightsail</c> key: container services with their power, scale, pushed images, deployment history
/// and a deployment to start at load. A deployment may start <c>from</c> an earlier one and change only what it names.
/// Mistakes are reported with the file, the line and what was expected, as the rest of the scenario's are.
/// </summary>
public static partial class LightsailScenarioReader
{
    /// <summary>The powers Lightsail sells (botocore's ContainerServicePowerName).</summary>
    public static readonly IReadOnlyList<string> Powers = ["nano", "micro", "small", "medium", "large", "xlarge"];

    /// <summary>Lightsail's name rule for services, containers and labels (botocore's pattern).</summary>
    [GeneratedRegex("^([a-z0-9]{1,2}|[a-z0-9][a-z0-9-]+[a-z0-9])$")]
    public static partial Regex NamePattern();

    public static LightsailDefinition Read(ScenarioNode? node, IReadOnlyDictionary<string, AppProfile> applications)
    {
        if (node is null)
        {
            return new LightsailDefinition();
        }

        node.AllowOnly("containerServices", "timings");
        return new LightsailDefinition
        {
            ContainerServices = (node["containerServices"]?.AsMap("a mapping of container service names to services") ?? [])
                .Select(e => ReadService(e.Key, e.Value, applications)).ToList(),
            Timings = ReadTimings(node["timings"]),
        };
    }

    /// <summary>The digest a pushed image of <paramref name="application"/> has unless the scenario gives one: sha256 of its name.</summary>
    public static string DefaultDigest(string application) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(application))).ToLowerInvariant();

    private static LightsailServiceDefinition ReadService(string name, ScenarioNode node, IReadOnlyDictionary<string, AppProfile> applications)
    {
        node.AllowOnly("power", "scale", "images", "deployments", "deploy");
        if (!NamePattern().IsMatch(name) || name.Length > 63)
        {
            throw ScenarioException.At(node.Position, $"{node.Path}: '{name}' is not a container service name; expected lower-case letters, digits and dashes (at most 63).");
        }

        var images = (node["images"]?.AsList("a list of pushed images") ?? []).Select(image =>
        {
            image.AllowOnly("label", "number", "application", "digest");
            var label = ScenarioReader.Required(image, "label").AsString("an image label such as soft-launch-32");
            if (!NamePattern().IsMatch(label))
            {
                throw image["label"]!.Expected("an image label of lower-case letters, digits and dashes");
            }

            var application = ScenarioReader.Required(image, "application").AsString("the name of an application in this scenario");
            if (!applications.ContainsKey(application))
            {
                throw image["application"]!.Expected($"an application defined in this scenario (known: {string.Join(", ", applications.Keys.Order())})");
            }

            return new LightsailImageDefinition(label, ScenarioReader.Required(image, "number").AsInt(1, 1_000_000), application,
                image["digest"]?.AsString("an image digest such as sha256:...") ?? DefaultDigest(application));
        }).ToList();

        var history = new List<LightsailDeploymentDefinition>();
        foreach (var deployment in node["deployments"]?.AsList("a list of deployments, oldest first") ?? [])
        {
            history.Add(ReadDeployment(deployment, history, allowFailed: true));
        }

        var deploy = node["deploy"] is { } next ? ReadDeployment(next, history, allowFailed: false) : null;
        var service = new LightsailServiceDefinition
        {
            Name = name,
            Power = node["power"]?.AsEnum(Powers.Select(p => (p, p)).ToArray()) ?? "nano",
            Scale = node["scale"]?.AsInt(1, 20) ?? 1,
            Images = images,
            Deployments = history,
            Deploy = deploy,
        };
        CheckImages(service, node, applications);
        return service;
    }

    private static LightsailDeploymentDefinition ReadDeployment(ScenarioNode node, IReadOnlyList<LightsailDeploymentDefinition> earlier, bool allowFailed)
    {
        node.AllowOnly(allowFailed ? new[] { "from", "containers", "publicEndpoint", "state" } : new[] { "from", "containers", "publicEndpoint" });
        var template = node["from"] is { } from
            ? earlier.ElementAtOrDefault(from.AsInt(1, 1_000_000) - 1) ?? throw from.Expected($"the version of an earlier deployment ({(earlier.Count == 0 ? "there is none" : $"1 to {earlier.Count}")})")
            : null;
        var containers = template?.Containers.ToDictionary(c => c.Name) ?? new Dictionary<string, LightsailContainerDefinition>();
        foreach (var (name, container) in node["containers"]?.AsMapWithRemovals("a mapping of container names to containers") ?? [])
        {
            if (container.IsNull)
            {
                containers.Remove(name);
                continue;
            }

            if (!NamePattern().IsMatch(name))
            {
                throw ScenarioException.At(container.Position, $"{container.Path}: '{name}' is not a container name; expected lower-case letters, digits and dashes.");
            }

            containers[name] = ReadContainer(name, container, containers.GetValueOrDefault(name));
        }

        if (containers.Count == 0)
        {
            throw ScenarioException.At(node.Position, $"{node.Path}: expected at least one container.");
        }

        var endpoint = ReadEndpoint(node["publicEndpoint"], template?.PublicEndpoint) ?? throw node.Expected("a publicEndpoint (containerName, containerPort)");
        if (!containers.TryGetValue(endpoint.ContainerName, out var served) || !served.Ports.ContainsKey(endpoint.ContainerPort))
        {
            throw ScenarioException.At((node["publicEndpoint"] ?? node).Position,
                $"{node.Path}: the public endpoint must name a container of this deployment and one of its ports, found {endpoint.ContainerName}:{endpoint.ContainerPort}.");
        }

        return new LightsailDeploymentDefinition
        {
            Containers = containers.Values.ToList(),
            PublicEndpoint = endpoint,
            Failed = node["state"]?.AsEnum(("failed", true), ("inactive", false)) ?? false,
        };
    }

    private static LightsailContainerDefinition ReadContainer(string name, ScenarioNode node, LightsailContainerDefinition? template)
    {
        node.AllowOnly("image", "command", "environment", "ports");
        var ports = template?.Ports.ToDictionary(p => p.Key, p => p.Value) ?? new Dictionary<int, string>();
        if (node["ports"] is { } portsNode)
        {
            ports = portsNode.AsMap("a mapping of ports to protocols, e.g. 3697: HTTP").ToDictionary(
                p => int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                    ? port
                    : throw ScenarioException.At(p.Value.Position, $"{portsNode.Path}: expected a port number, found '{p.Key}'."),
                p => p.Value.AsEnum(("HTTP", "HTTP"), ("HTTPS", "HTTPS"), ("TCP", "TCP"), ("UDP", "UDP")));
        }

        return new LightsailContainerDefinition
        {
            Name = name,
            Image = node["image"]?.AsString("a pushed image such as :api.soft-launch-32.165, or an application's name") ?? template?.Image
                ?? throw node.Expected("an 'image' for the container"),
            Command = node["command"] is { } command ? ScenarioReader.Lines(command) : template?.Command ?? [],
            Environment = ScenarioReader.MergeStrings(template?.Environment, node["environment"]),
            Ports = ports,
        };
    }

    private static LightsailEndpointDefinition? ReadEndpoint(ScenarioNode? node, LightsailEndpointDefinition? template)
    {
        if (node is null)
        {
            return template;
        }

        node.AllowOnly("containerName", "containerPort", "healthCheck");
        var check = template?.HealthCheck ?? new LightsailHealthCheckDefinition();
        if (node["healthCheck"] is { } healthCheck)
        {
            healthCheck.AllowOnly("healthyThreshold", "unhealthyThreshold", "timeoutSeconds", "intervalSeconds", "path", "successCodes");
            check = new LightsailHealthCheckDefinition
            {
                HealthyThreshold = healthCheck["healthyThreshold"]?.AsInt(2, 10) ?? check.HealthyThreshold,
                UnhealthyThreshold = healthCheck["unhealthyThreshold"]?.AsInt(2, 10) ?? check.UnhealthyThreshold,
                TimeoutSeconds = healthCheck["timeoutSeconds"]?.AsInt(2, 60) ?? check.TimeoutSeconds,
                IntervalSeconds = healthCheck["intervalSeconds"]?.AsInt(5, 300) ?? check.IntervalSeconds,
                Path = healthCheck["path"] is { } path ? ScenarioReader.ReadPath(path) : check.Path,
                SuccessCodes = healthCheck["successCodes"] is { } codes ? ScenarioReader.ReadMatcher(codes) : check.SuccessCodes,
            };
        }

        return new LightsailEndpointDefinition(
            node["containerName"]?.AsString("the name of a container of the deployment") ?? template?.ContainerName ?? throw node.Expected("a containerName"),
            node["containerPort"]?.AsInt(1, 65535) ?? template?.ContainerPort ?? throw node.Expected("a containerPort"),
            check);
    }

    /// <summary>Every image a deployment names is pushed to the service or is an application of the scenario.</summary>
    private static void CheckImages(LightsailServiceDefinition service, ScenarioNode node, IReadOnlyDictionary<string, AppProfile> applications)
    {
        var pushed = service.Images.Select(i => $":{service.Name}.{i.Label}.{i.Number}").ToHashSet(StringComparer.Ordinal);
        var deployments = service.Deploy is null ? service.Deployments : service.Deployments.Append(service.Deploy);
        foreach (var image in deployments.SelectMany(d => d.Containers).Select(c => c.Image))
        {
            var known = image.StartsWith(':') ? pushed.Contains(image) : applications.ContainsKey(image);
            if (!known)
            {
                throw ScenarioException.At(node.Position,
                    $"{node.Path}: image '{image}' is neither pushed to the service (known: {(pushed.Count == 0 ? "none" : string.Join(", ", pushed.Order()))}) nor an application of this scenario.");
            }
        }
    }

    private static LightsailTimings ReadTimings(ScenarioNode? node)
    {
        var defaults = new LightsailTimings();
        if (node is null)
        {
            return defaults;
        }

        node.AllowOnly("provisioningSeconds", "creatingSeconds", "activatingSeconds", "activationTimeoutSeconds", "updatingSeconds", "deletingSeconds");
        return new LightsailTimings
        {
            ProvisioningSeconds = node["provisioningSeconds"]?.AsDouble(0, 3600) ?? defaults.ProvisioningSeconds,
            CreatingSeconds = node["creatingSeconds"]?.AsDouble(0, 3600) ?? defaults.CreatingSeconds,
            ActivatingSeconds = node["activatingSeconds"]?.AsDouble(0, 3600) ?? defaults.ActivatingSeconds,
            ActivationTimeoutSeconds = node["activationTimeoutSeconds"]?.AsDouble(10, 86400) ?? defaults.ActivationTimeoutSeconds,
            UpdatingSeconds = node["updatingSeconds"]?.AsDouble(0, 3600) ?? defaults.UpdatingSeconds,
            DeletingSeconds = node["deletingSeconds"]?.AsDouble(0, 3600) ?? defaults.DeletingSeconds,
        };
    }
}
