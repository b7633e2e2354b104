using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Http;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.Simulators.EcsRuntime;
using DeployOps.Sandbox.Simulators.TargetHealth;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.Lightsail;

/// <summary>
/// The services' life on the world clock: PENDING, UPDATING and DELETING that end, deployments that activate or fail,
/// nodes whose applications start, listen or exit, their health checks, and the public endpoint that routes to them.
/// </summary>
public sealed partial class LightsailSimulator
{
    // ---------------------------------------------------------------- services

    private void StepService(ContainerService service, double now)
    {
        switch (service.State)
        {
            case ServiceState.Pending when now >= service.StateEndsAt:
                if (service.Next is { } first)
                {
                    StartActivation(service, first, now);
                }
                else
                {
                    service.State = ServiceState.Ready;
                }

                break;
            case ServiceState.Deleting when now >= service.StateEndsAt:
                Close(service);
                _services.Remove((service.Region, service.Name));
                return;
            case ServiceState.Updating when now >= service.StateEndsAt && Settled(service):
                service.State = service.Current is null ? ServiceState.Ready : ServiceState.Running;
                break;
        }

        StepNodes(service, now);
        if (service.State == ServiceState.Deploying && service.Next is { } next)
        {
            StepActivation(service, next, now);
        }

        if (service.State is ServiceState.Running or ServiceState.Updating && service.Current is { } current)
        {
            KeepScale(service, current, now);
        }

        StartProbes(service, now);
    }

    /// <summary>True when the ACTIVE deployment runs the service's scale of healthy nodes (or there is none).</summary>
    private static bool Settled(ContainerService service) =>
        service.Current is not { } current || (service.NodesOf(current).Count() == service.Scale && service.NodesOf(current).All(n => n.Healthy));

    /// <summary>Stops every node and closes the public endpoint (as effects).</summary>
    private void Close(ContainerService service)
    {
        foreach (var node in service.Nodes.ToList())
        {
            StopNode(service, node);
        }

        if (service.PublicListener is { } listener)
        {
            service.PublicListener = null;
            Effect(() => listener.DisposeAsync().AsTask());
        }
    }

    // ---------------------------------------------------------------- deployments

    /// <summary>CREATING_DEPLOYMENT: the service is DEPLOYING; the nodes start once the images are pulled.</summary>
    private void StartActivation(ContainerService service, ServiceDeployment deployment, double now)
    {
        service.State = ServiceState.Deploying;
        deployment.Step = ActivationStep.CreatingDeployment;
        deployment.NextStepAt = now + _timings.CreatingSeconds;
        SystemLog(service, deployment, $"Creating {service.Scale} new tasks");
    }

    private void StepActivation(ContainerService service, ServiceDeployment deployment, double now)
    {
        switch (deployment.Step)
        {
            case ActivationStep.CreatingDeployment when now >= deployment.NextStepAt:
                for (var i = 0; i < service.Scale; i++)
                {
                    StartNode(service, deployment, now);
                }

                deployment.Step = ActivationStep.EvaluatingHealthCheck;
                deployment.HealthDeadline = now + _timings.ActivationTimeoutSeconds;
                SystemLog(service, deployment, $"Started {service.Scale} new node{(service.Scale == 1 ? "" : "s")}");
                break;
            case ActivationStep.EvaluatingHealthCheck:
                var nodes = service.NodesOf(deployment).ToList();
                if (nodes.Any(n => n.FailedHealthChecks))
                {
                    var check = deployment.PublicEndpoint!.HealthCheck;
                    Fail(service, deployment, $"The deployment failed: its nodes failed {check.UnhealthyThreshold} consecutive health checks of {check.Path} " +
                        $"(last answer: {nodes.First(n => n.FailedHealthChecks).LastProbe}).");
                }
                else if (nodes.Count == service.Scale && nodes.All(n => n.Healthy))
                {
                    deployment.Step = ActivationStep.ActivatingDeployment;
                    deployment.NextStepAt = now + _timings.ActivatingSeconds;
                }
                else if (now >= deployment.HealthDeadline)
                {
                    Fail(service, deployment, "Took too long: the deployment's nodes did not become healthy in time.");
                }

                break;
            case ActivationStep.ActivatingDeployment when now >= deployment.NextStepAt:
                Activate(service, deployment);
                break;
        }
    }

    /// <summary>The deployment turns ACTIVE; the one that was ACTIVE turns INACTIVE and its nodes stop.</summary>
    private void Activate(ContainerService service, ServiceDeployment deployment)
    {
        if (service.Current is { } previous)
        {
            previous.State = DeploymentState.Inactive;
            foreach (var node in service.NodesOf(previous).ToList())
            {
                StopNode(service, node);
            }
        }

        deployment.State = DeploymentState.Active;
        deployment.ActivatedAt = DateTimeOffset.UtcNow;
        service.State = ServiceState.Running;
        SystemLog(service, deployment, "Reached a steady state");
    }

    /// <summary>The deployment turns FAILED and its nodes stop; the ACTIVE deployment, if any, stays ACTIVE.</summary>
    private void Fail(ContainerService service, ServiceDeployment deployment, string reason)
    {
        deployment.State = DeploymentState.Failed;
        deployment.FailedAt = DateTimeOffset.UtcNow;
        deployment.FailureReason = reason;
        foreach (var node in service.NodesOf(deployment).ToList())
        {
            StopNode(service, node);
        }

        service.State = service.Current is null ? ServiceState.Ready : ServiceState.Running;
        SystemLog(service, deployment, reason);
    }

    /// <summary>Lightsail's own lines about a deployment, in the log of each of its containers.</summary>
    private static void SystemLog(ContainerService service, ServiceDeployment deployment, string message)
    {
        foreach (var container in deployment.Containers)
        {
            service.Log(container.Name, $"[deployment:{deployment.Version}] {message}", DateTimeOffset.UtcNow);
        }
    }

    // ---------------------------------------------------------------- nodes

    /// <summary>The application an image runs: a pushed image's, or the scenario's application of that name; null when none (it cannot be pulled).</summary>
    private AppProfile? ProfileOf(ContainerService service, string image)
    {
        var application = image.StartsWith(':') ? service.Images.FirstOrDefault(i => i.Reference == image)?.Application : image;
        return application is null ? null : _applications.GetValueOrDefault(application);
    }

    /// <summary>
    /// Starts a node of <paramref name="deployment"/>: each container logs its startup lines and plans its exit (an image
    /// that cannot be pulled, a missing variable, the profile's failure); the served one plans when it listens. A node
    /// <paramref name="steadySince"/> a time has run since then: it listens and passed its health checks.
    /// </summary>
    private void StartNode(ContainerService service, ServiceDeployment deployment, double now, DateTimeOffset? steadySince = null)
    {
        var served = deployment.ServedContainer ?? deployment.Containers[0];
        var profile = ProfileOf(service, served.Image);
        var (address, port) = World.Addresses.Allocate(deployment.PublicEndpoint?.ContainerPort ?? profile?.Port ?? 80, new NetworkPlacement([], ""));
        var node = new ServiceNode(deployment, address, port, profile, now) { NextProbeAt = now + 1 };
        service.Nodes.Add(node);
        var at = steadySince ?? DateTimeOffset.UtcNow;
        foreach (var container in deployment.Containers)
        {
            var application = ProfileOf(service, container.Image);
            if (application is null || application.Failure.Kind == AppFailureKind.ImagePull)
            {
                PlanExit(node, container.Name, now, [$"[deployment:{deployment.Version}] Failed to pull the image {container.Image} of container {container.Name}: not found"]);
                continue;
            }

            var behaviour = new AppBehaviour(application, node.Id);
            foreach (var line in application.StartupLogs)
            {
                service.Log(container.Name, behaviour.Expand(line), at);
            }

            var missing = application.RequiredEnvironment.Where(r => !container.Environment.ContainsKey(r.Key)).ToList();
            if (missing.Count > 0)
            {
                PlanExit(node, container.Name, now + application.Failure.AfterSeconds, missing[0].Value.Select(behaviour.Expand).ToList());
            }
            else if (application.Failure.Kind is AppFailureKind.Crash or AppFailureKind.OutOfMemory)
            {
                PlanExit(node, container.Name, now + application.Failure.AfterSeconds, application.Failure.Logs.Select(behaviour.Expand).ToList());
            }
        }

        if (profile is null)
        {
            return;
        }

        var listensAt = steadySince is null ? now + profile.StartupDelaySeconds : now;
        node.ListensAt = node.Exit is { } exit && exit.At <= listensAt ? null : listensAt;
        if (steadySince is not null && node.ListensAt is not null)
        {
            StartListener(service, node, at);
            node.Healthy = true;
            node.ConsecutivePasses = deployment.PublicEndpoint?.HealthCheck.HealthyThreshold ?? 1;
        }
    }

    /// <summary>Plans a container's exit; the earliest planned exit ends the node.</summary>
    private static void PlanExit(ServiceNode node, string container, double at, IReadOnlyList<string> lines)
    {
        if (node.Exit is null || at < node.Exit.Value.At)
        {
            node.Exit = (at, container, lines);
        }
    }

    private void StepNodes(ContainerService service, double now)
    {
        foreach (var node in service.Nodes.Where(n => n.IsAlive).ToList())
        {
            if (node.Exit is { } exit && now >= exit.At)
            {
                foreach (var line in exit.Lines)
                {
                    service.Log(exit.Container, line, DateTimeOffset.UtcNow);
                }

                StopNode(service, node, NodePhase.Exited);
                if (node.Deployment.State == DeploymentState.Activating && node.Deployment.Step != ActivationStep.CreatingDeployment)
                {
                    Fail(service, node.Deployment, $"The deployment failed: container {exit.Container} exited on a node ({exit.Lines.LastOrDefault() ?? "no output"}).");
                }
            }
            else if (node.ListensAt is { } listensAt && now >= listensAt)
            {
                StartListener(service, node, DateTimeOffset.UtcNow);
            }
        }
    }

    /// <summary>
    /// The served application opens its port and logs that it listens (unless its profile has no such line: a startup
    /// that never completes). It listens on its profile's port; when the public endpoint names another, nothing answers there.
    /// </summary>
    private void StartListener(ContainerService service, ServiceNode node, DateTimeOffset at)
    {
        var profile = node.Profile!;
        node.ListensAt = null;
        node.Phase = NodePhase.Listening;
        var served = node.Deployment.ServedContainer ?? node.Deployment.Containers[0];
        var behaviour = new AppBehaviour(profile, node.Id);
        if (profile.ListeningLog.Length > 0)
        {
            service.Log(served.Name, behaviour.Expand(profile.ListeningLog), at);
        }

        if (node.Deployment.PublicEndpoint is { } endpoint && endpoint.ContainerPort != profile.Port)
        {
            return;
        }

        try
        {
            node.Listener = MiniHttpServer.Start(new IPEndPoint(IPAddress.Parse(node.Address), node.Port), behaviour.HandleAsync);
        }
        catch (SocketException)
        {
            PlanExit(node, served.Name, World.Clock.Now, [$"Error: listen EADDRINUSE: address already in use :::{profile.Port}"]);
        }
    }

    /// <summary>Stops a node: it leaves the service, its listener closes as an effect and its address is released.</summary>
    private void StopNode(ContainerService service, ServiceNode node, NodePhase phase = NodePhase.Stopped)
    {
        node.Phase = phase;
        node.Healthy = false;
        node.ListensAt = null;
        service.Nodes.Remove(node);
        World.Addresses.Release(node.Address, node.Port);
        if (node.Listener is { } listener)
        {
            node.Listener = null;
            Effect(() => listener.DisposeAsync().AsTask());
        }
    }

    /// <summary>The ACTIVE deployment runs the service's scale of nodes: exited ones are replaced, extra ones stopped.</summary>
    private void KeepScale(ContainerService service, ServiceDeployment current, double now)
    {
        var nodes = service.NodesOf(current).ToList();
        for (var i = nodes.Count; i < service.Scale; i++)
        {
            StartNode(service, current, now);
        }

        foreach (var extra in nodes.Skip(service.Scale))
        {
            StopNode(service, extra);
        }
    }

    // ---------------------------------------------------------------- health checks

    /// <summary>Starts the probes that are due: real GETs of the health-check path, with the deployment's interval and timeout.</summary>
    private void StartProbes(ContainerService service, double now)
    {
        foreach (var node in service.Nodes.Where(n => n.IsAlive && !n.ProbeInFlight && now >= n.NextProbeAt))
        {
            if (node.Deployment.PublicEndpoint is not { } endpoint)
            {
                // Without a public endpoint Lightsail only needs the containers running once they started.
                node.Healthy = now >= node.StartedAtWorld + (node.Profile?.StartupDelaySeconds ?? 0);
                continue;
            }

            var check = endpoint.HealthCheck;
            node.ProbeInFlight = true;
            node.NextProbeAt = now + check.IntervalSeconds;
            var counts = now >= node.StartedAtWorld + (node.Profile?.StartupDelaySeconds ?? 0);
            var url = $"http://{node.Address}:{node.Port}{check.Path}";
            Effect(() =>
            {
                // Probes run on their own; the step does not wait for them.
                _ = ProbeAsync(node, check, url, counts);
                return Task.CompletedTask;
            });
        }
    }

    private async Task ProbeAsync(ServiceNode node, LightsailHealthCheckDefinition check, string url, bool counts)
    {
        ProbeResult result;
        try
        {
            result = await _prober.ProbeAsync(url, status => TargetGroupConfig.MatcherAccepts(check.SuccessCodes, status), "Amazon-Lightsail-HealthChecker/1.0",
                World.Clock.ToWall(check.TimeoutSeconds), World.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (Gate)
        {
            node.ProbeInFlight = false;
            if (!node.IsAlive)
            {
                return;
            }

            node.LastProbe = result.Passed ? "passed" : result.Description ?? result.Reason ?? "failed";
            if (result.Passed)
            {
                node.ConsecutivePasses++;
                node.ConsecutiveFailures = 0;
                node.Healthy |= node.ConsecutivePasses >= check.HealthyThreshold;
                return;
            }

            node.ConsecutiveFailures++;
            node.ConsecutivePasses = 0;
            if (node.ConsecutiveFailures >= check.UnhealthyThreshold)
            {
                node.Healthy = false;
                node.FailedHealthChecks |= counts;
            }
        }
    }

    // ---------------------------------------------------------------- the public endpoint

    private void OpenPublicEndpoint(ContainerService service)
    {
        var key = (service.Region, service.Name);
        service.PublicListener = MiniHttpServer.Start(new IPEndPoint(IPAddress.Loopback, 0), (request, token) => RouteAsync(key, request, token));
    }

    /// <summary>Routes a request of the public endpoint to a healthy node of the ACTIVE deployment (503 when there is none or the service is disabled).</summary>
    private async Task<MiniHttpResponse> RouteAsync((string Region, string Name) key, MiniHttpRequest request, CancellationToken cancellationToken)
    {
        ServiceNode target;
        lock (Gate)
        {
            var healthy = _services.TryGetValue(key, out var service) && service.State is not (ServiceState.Disabled or ServiceState.Deleting) && service.Current is { } current
                ? service.NodesOf(current).Where(n => n.Healthy && n.Listener is not null).ToList()
                : [];
            if (healthy.Count == 0)
            {
                return ErrorPage(503);
            }

            target = healthy[(int)((uint)Interlocked.Increment(ref _roundRobin) % healthy.Count)];
        }

        return await _forwarder.ForwardAsync(request, target.Address, target.Port, World.Clock.ToWall(60), ErrorPage, cancellationToken).ConfigureAwait(false);
    }

    private static MiniHttpResponse ErrorPage(int status) => MiniHttpResponse.Text(status,
        $"<html><body><h1>{status} {(status == 503 ? "Service Temporarily Unavailable" : status == 504 ? "Gateway Time-out" : "Bad Gateway")}</h1></body></html>",
        "text/html");
}
