using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.EcsRuntime;
using DeployOps.Sandbox.Simulators.TargetHealth;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Lightsail;

/// <summary>
/// Amazon Lightsail container services, which moto lacks altogether: it answers every container-service operation of the
/// JSON API <c>Lightsail_20161128</c> itself, in botocore's shapes and Lightsail's errors. Services go PENDING, READY,
/// DEPLOYING, RUNNING, UPDATING, DISABLED and DELETING; a deployment goes ACTIVATING (stateDetail CREATING_DEPLOYMENT,
/// EVALUATING_HEALTH_CHECK, ACTIVATING_DEPLOYMENT), then ACTIVE (the previous one INACTIVE) or FAILED (the previous one
/// stays ACTIVE). Each node runs the deployment's images as the scenario's application profiles say, its served
/// container on a loopback listener; health checks are real HTTP GETs with the deployment's own settings, and each
/// service's public endpoint is a loopback listener that routes to the healthy nodes of the ACTIVE deployment.
/// It calls no other simulator.
/// </summary>
public sealed partial class LightsailSimulator : Simulator
{
    private const string Service = "lightsail";

    private readonly Dictionary<(string Region, string Name), ContainerService> _services = new();
    private readonly HealthProber _prober = new();
    private readonly HttpForwarder _forwarder = new();
    private IReadOnlyDictionary<string, AppProfile> _applications = new Dictionary<string, AppProfile>();
    private LightsailTimings _timings = new();
    private int _roundRobin;

    public LightsailSimulator(WorldContext world)
        : base(world)
    {
    }

    /// <summary>Advances every service: its PENDING, UPDATING or DELETING, its activating deployment, its nodes and their health checks.</summary>
    protected override void Step(double now)
    {
        foreach (var service in _services.Values.ToList())
        {
            StepService(service, now);
        }
    }

    /// <summary>Forgets every service (closing their listeners as effects) and builds the <paramref name="next"/> scenario's.</summary>
    protected override void Forget(ScenarioDefinition? next)
    {
        foreach (var service in _services.Values)
        {
            Close(service);
        }

        _services.Clear();
        _applications = next?.Applications ?? _applications;
        _timings = next?.Lightsail.Timings ?? _timings;
        foreach (var definition in next?.Lightsail.ContainerServices ?? [])
        {
            Load(next!.Region, definition, World.Clock.Now);
        }
    }

    /// <summary>A scenario's service where one that has run its history would be: images pushed, the ACTIVE deployment's nodes healthy.</summary>
    private void Load(string region, LightsailServiceDefinition definition, double now)
    {
        var count = definition.Deployments.Count;
        var service = new ContainerService(region, definition.Name, definition.Power, definition.Scale, DateTimeOffset.UtcNow.AddHours(-(count + 1)));
        _services[(region, definition.Name)] = service;
        foreach (var image in definition.Images.OrderBy(i => i.Number))
        {
            service.Images.Add(new PushedImage($":{definition.Name}.{image.Label}.{image.Number}", image.Digest, image.Application,
                service.CreatedAt.AddMinutes(image.Number % 60)));
        }

        for (var i = 0; i < count; i++)
        {
            var createdAt = DateTimeOffset.UtcNow.AddHours(-(count - i));
            var deployment = Deployment(service, definition.Deployments[i], createdAt, now);
            deployment.State = definition.Deployments[i].Failed ? DeploymentState.Failed : DeploymentState.Inactive;
            if (definition.Deployments[i].Failed)
            {
                deployment.FailedAt = createdAt.AddMinutes(5);
                deployment.FailureReason = "Its nodes did not pass their health checks.";
            }

            service.Deployments.Add(deployment);
        }

        if (service.Deployments.LastOrDefault(d => d.State == DeploymentState.Inactive) is { } current)
        {
            current.State = DeploymentState.Active;
            current.ActivatedAt = current.CreatedAt.AddMinutes(2);
            for (var n = 0; n < service.Scale; n++)
            {
                StartNode(service, current, now, steadySince: current.ActivatedAt);
            }
        }

        service.State = service.Current is null ? ServiceState.Ready : ServiceState.Running;
        OpenPublicEndpoint(service);
        if (definition.Deploy is { } deploy)
        {
            var deployment = Deployment(service, deploy, DateTimeOffset.UtcNow, now);
            service.Deployments.Add(deployment);
            StartActivation(service, deployment, now);
        }
    }

    private static ServiceDeployment Deployment(ContainerService service, LightsailDeploymentDefinition definition, DateTimeOffset createdAt, double now) =>
        new(service.NextVersion,
            definition.Containers.Select(c => new ContainerSpec(c.Name, c.Image, c.Command, c.Environment,
                c.Ports.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value))).ToList(),
            new EndpointSpec(definition.PublicEndpoint.ContainerName, definition.PublicEndpoint.ContainerPort, definition.PublicEndpoint.HealthCheck),
            createdAt,
            now);

    /// <summary>Adds <c>lightsail</c>: each container service's state, URL, images, deployments (with when they turned ACTIVE or FAILED) and nodes.</summary>
    public override void DescribeState(JsonObject state)
    {
        lock (Gate)
        {
            state["lightsail"] = new JsonArray(_services.Values.OrderBy(s => s.Region).ThenBy(s => s.Name).Select(s => (JsonNode)new JsonObject
            {
                ["region"] = s.Region,
                ["serviceName"] = s.Name,
                ["state"] = LightsailJson.StateName(s.State),
                ["scale"] = s.Scale,
                ["power"] = s.Power,
                ["isDisabled"] = s.IsDisabled,
                ["url"] = s.Url,
                ["currentVersion"] = s.Current?.Version,
                ["images"] = new JsonArray(s.Images.Select(i => (JsonNode)i.Reference).ToArray()),
                ["deployments"] = new JsonArray(s.Deployments.Select(d => (JsonNode)new JsonObject
                {
                    ["version"] = d.Version,
                    ["state"] = LightsailJson.StateName(d.State),
                    ["images"] = new JsonObject(d.Containers.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)c.Image))),
                    ["createdAt"] = d.CreatedAt.ToString("o"),
                    ["activatedAt"] = d.ActivatedAt?.ToString("o"),
                    ["failedAt"] = d.FailedAt?.ToString("o"),
                    ["failureReason"] = d.FailureReason,
                }).ToArray()),
                ["nodes"] = new JsonArray(s.Nodes.Select(n => (JsonNode)new JsonObject
                {
                    ["id"] = n.Id,
                    ["version"] = n.Deployment.Version,
                    ["address"] = $"{n.Address}:{n.Port}",
                    ["phase"] = n.Phase.ToString(),
                    ["listening"] = n.Listener is not null,
                    ["healthy"] = n.Healthy,
                }).ToArray()),
            }).ToArray());
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        _prober.Dispose();
        _forwarder.Dispose();
    }
}
