using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>The ECS operations the runtime answers or overlays; moto answers every other one untouched.</summary>
public sealed partial class EcsRuntimeSimulator
{
    public override void Register(AwsRoutes routes)
    {
        routes.AnswerAfterMoto(Service, "CreateService", (request, reply, token) => OnServiceCreatedAsync(request.Json, reply, request.Region, ServiceStart.Deploy, token));
        routes.AnswerAfterMoto(Service, "UpdateService", (request, reply, token) => OnServiceUpdatedAsync(request.Json, reply, request.Region, token));
        routes.AnswerAfterMoto(Service, "DeleteService", (_, reply, _) => Task.FromResult(OnServiceDeleted(reply)));
        routes.AnswerAfterMoto(Service, "DescribeServices", (_, reply, _) => Task.FromResult(OverlayServices(reply)));
        routes.Answer(Service, "ListTasks", ListTasksAsync);
        routes.Answer(Service, "DescribeTasks", DescribeTasksAsync);
        routes.Answer(Service, "StopTask", (request, _) => Task.FromResult(StopTask(request)));
        routes.Answer("ec2", "DescribeSubnets", DescribeSubnetsAsync);
    }

    private async Task<TaskDefinitionSpec> ResolveTaskDefinitionAsync(string reference, string region, CancellationToken cancellationToken)
    {
        if (_taskDefinitions.TryGetValue(reference, out var known))
        {
            return known;
        }

        var reply = await World.Moto.EcsAsync("DescribeTaskDefinition", new JsonObject { ["taskDefinition"] = reference }, region, cancellationToken).ConfigureAwait(false);
        var spec = TaskDefinitionSpec.FromJson(reply["taskDefinition"]!.AsObject());
        _taskDefinitions[spec.Arn] = spec;
        return spec;
    }

    /// <summary>
    /// Takes over a service moto created: records what moto drops (deployment configuration, grace
    /// period), then starts its first deployment, or for a steady start puts it where a service that
    /// has run for a while would be.
    /// </summary>
    public async Task<JsonObject> OnServiceCreatedAsync(JsonObject request, JsonObject reply, string region, ServiceStart start, CancellationToken cancellationToken)
    {
        var serviceJson = reply["service"]!.AsObject();
        var taskDefinition = await ResolveTaskDefinitionAsync(serviceJson["taskDefinition"]!.GetValue<string>(), region, cancellationToken).ConfigureAwait(false);
        var arn = serviceJson["serviceArn"]!.GetValue<string>();
        var clusterArn = serviceJson["clusterArn"]!.GetValue<string>();
        var service = new WorldService(arn, serviceJson["serviceName"]!.GetValue<string>(), clusterArn[(clusterArn.LastIndexOf('/') + 1)..], region)
        {
            DesiredCount = request["desiredCount"]?.GetValue<int>() ?? 0,
            LaunchType = request["launchType"]?.GetValue<string>() ?? "FARGATE",
        };
        ApplyServiceSettings(service, request);
        lock (Gate)
        {
            _services[arn] = service;
            var now = World.Clock.Now;
            if (start == ServiceStart.Steady)
            {
                SettleService(service, taskDefinition, now);
            }
            else
            {
                StartDeployment(service, taskDefinition);
            }

            service.Overlay(serviceJson, TasksOf(service).ToList());
        }

        World.Configuration.Invalidate(region);
        return reply;
    }

    /// <summary>Settings that CreateService and UpdateService both carry.</summary>
    private static void ApplyServiceSettings(WorldService service, JsonObject request)
    {
        if (request["loadBalancers"] is JsonArray loadBalancers)
        {
            service.LoadBalancers = loadBalancers.OfType<JsonObject>()
                .Where(lb => lb["targetGroupArn"] is not null)
                .Select(lb => new LoadBalancerMapping(lb["targetGroupArn"]!.GetValue<string>(), lb["containerName"]?.GetValue<string>() ?? "",
                    lb["containerPort"]?.GetValue<int>() ?? 0))
                .ToList();
        }

        if (request["networkConfiguration"]?["awsvpcConfiguration"] is JsonObject network)
        {
            service.Subnets = (network["subnets"]?.AsArray() ?? []).Select(s => s!.GetValue<string>()).ToList();
            service.SecurityGroups = (network["securityGroups"]?.AsArray() ?? []).Select(s => s!.GetValue<string>()).ToList();
            service.AssignPublicIp = network["assignPublicIp"]?.GetValue<string>() == "ENABLED";
        }

        if (request["deploymentConfiguration"] is JsonObject deployment)
        {
            service.MinimumHealthyPercent = deployment["minimumHealthyPercent"]?.GetValue<int>() ?? service.MinimumHealthyPercent;
            service.MaximumPercent = deployment["maximumPercent"]?.GetValue<int>() ?? service.MaximumPercent;
            if (deployment["deploymentCircuitBreaker"] is JsonObject breaker)
            {
                service.CircuitBreakerEnabled = breaker["enable"]?.GetValue<bool>() ?? false;
                service.CircuitBreakerRollback = breaker["rollback"]?.GetValue<bool>() ?? false;
            }
        }

        if (request["healthCheckGracePeriodSeconds"] is JsonValue grace)
        {
            service.HealthCheckGracePeriodSeconds = grace.GetValue<int>();
        }
    }

    /// <summary>Puts a new service in the state of one that has run its task definition for an hour: COMPLETED, tasks RUNNING and healthy.</summary>
    private void SettleService(WorldService service, TaskDefinitionSpec taskDefinition, double now)
    {
        var anHourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        var deployment = StartDeployment(service, taskDefinition, createdAt: anHourAgo);
        var tasks = Enumerable.Range(0, service.DesiredCount).Select(_ => LaunchTask(service, deployment, now)).Where(t => t is not null).Select(t => t!).ToList();
        foreach (var task in tasks)
        {
            task.PullStartedAt = task.PullStoppedAt = task.StartedAt = anHourAgo;
            task.Phase = TaskPhase.Running;
            task.StartedAtWorld = now - 3600;
            task.HasBeenHealthy = true;
            foreach (var container in task.Containers)
            {
                container.LastStatus = "RUNNING";
                container.RuntimeId = task.Id + "-" + container.Spec.Name;
            }

            if (task.Profile is { } application)
            {
                var behaviour = new AppBehaviour(application, task.Id);
                foreach (var line in application.StartupLogs.Append(application.ListeningLog).Where(l => l.Length > 0))
                {
                    WriteLog(task, behaviour.Expand(line), anHourAgo);
                }

                PlanApplication(task, application, now);
                task.ListensAt = task.ListensAt is null ? null : now;
            }

            RegisterTargets(task, startHealthy: true);
        }

        service.AddEvent($"has started {tasks.Count} tasks: {string.Join(" ", tasks.Select(t => $"(task {t.Id})"))}.", anHourAgo);
        CompleteDeployment(service, deployment, anHourAgo.AddMinutes(2));
        service.AddEvent("has reached a steady state.", anHourAgo.AddMinutes(2));
        service.Unsettled = false;
    }

    /// <summary>Applies an UpdateService moto accepted: settings, desired count, and a new deployment when the task definition changes or one is forced.</summary>
    public async Task<JsonObject> OnServiceUpdatedAsync(JsonObject request, JsonObject reply, string region, CancellationToken cancellationToken)
    {
        var serviceJson = reply["service"]!.AsObject();
        var arn = serviceJson["serviceArn"]!.GetValue<string>();
        var reference = request["taskDefinition"]?.GetValue<string>();
        var taskDefinition = reference is null ? null : await ResolveTaskDefinitionAsync(reference, region, cancellationToken).ConfigureAwait(false);
        bool normalize;
        lock (Gate)
        {
            if (!_services.TryGetValue(arn, out var service))
            {
                return reply;
            }

            if (request["desiredCount"] is JsonValue desired)
            {
                service.DesiredCount = desired.GetValue<int>();
                service.Unsettled = true;
                service.NextScheduleAt = 0;
            }

            ApplyServiceSettings(service, request);
            var force = request["forceNewDeployment"]?.GetValue<bool>() ?? false;
            normalize = taskDefinition is not null && reference != taskDefinition.Arn;
            if (force || (taskDefinition is not null && taskDefinition.Arn != service.Primary.TaskDefinition.Arn))
            {
                StartDeployment(service, taskDefinition ?? service.Primary.TaskDefinition);
            }

            service.Overlay(serviceJson, TasksOf(service).ToList());
        }

        if (normalize)
        {
            // moto stores "family:revision" literally; keep its configuration in full ARNs as ECS does.
            await World.Moto.EcsAsync("UpdateService", new JsonObject
            {
                ["cluster"] = serviceJson["clusterArn"]!.GetValue<string>(),
                ["service"] = arn,
                ["taskDefinition"] = taskDefinition!.Arn,
            }, region, cancellationToken).ConfigureAwait(false);
        }

        return reply;
    }

    private JsonObject OnServiceDeleted(JsonObject reply)
    {
        if (reply["service"] is JsonObject serviceJson && serviceJson["serviceArn"]?.GetValue<string>() is { } arn)
        {
            lock (Gate)
            {
                if (_services.Remove(arn, out var service))
                {
                    service.Deleted = true;
                    service.DesiredCount = 0;
                    var now = World.Clock.Now;
                    foreach (var task in TasksOf(service).Where(t => t.IsAlive).ToList())
                    {
                        BeginStop(task, now, "ServiceSchedulerInitiated", "Service deleted", failed: false);
                    }
                }
            }
        }

        return reply;
    }

    private JsonObject OverlayServices(JsonObject reply)
    {
        lock (Gate)
        {
            foreach (var serviceJson in (reply["services"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                if (serviceJson["serviceArn"]?.GetValue<string>() is { } arn && _services.TryGetValue(arn, out var service))
                {
                    service.Overlay(serviceJson, TasksOf(service).ToList());
                }
            }
        }

        return reply;
    }

    /// <summary>Cluster parameters may be a name or an ARN; ECS defaults to the cluster named "default".</summary>
    private static string ClusterName(JsonObject request)
    {
        var cluster = request["cluster"]?.GetValue<string>() ?? "default";
        return cluster[(cluster.LastIndexOf('/') + 1)..];
    }

    private async Task<AwsResponse?> ListTasksAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var json = request.Json;
        var cluster = ClusterName(json);
        var serviceName = json["serviceName"]?.GetValue<string>();
        var desiredStatus = json["desiredStatus"]?.GetValue<string>() ?? "RUNNING";
        var startedBy = json["startedBy"]?.GetValue<string>();
        var family = json["family"]?.GetValue<string>();
        List<string> arns;
        bool serviceKnown;
        lock (Gate)
        {
            serviceKnown = serviceName is not null && _services.Values.Any(s => s.ClusterName == cluster && s.Name == serviceName && s.Region == request.Region);
            arns = _tasks.Values
                .Where(t => t.Region == request.Region && t.ClusterName == cluster && t.DesiredStatus == desiredStatus)
                .Where(t => serviceName is null || t.Service.Name == serviceName)
                .Where(t => startedBy is null || t.StartedBy == startedBy)
                .Where(t => family is null || t.TaskDefinition.Family == family)
                .OrderBy(t => t.CreatedAt)
                .Select(t => t.Arn)
                .ToList();
        }

        if (!serviceKnown)
        {
            // Tasks moto started (RunTask) and moto's own validation (unknown cluster or service) still count.
            var fromMoto = await World.Moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
            if (!fromMoto.IsSuccess)
            {
                return fromMoto;
            }

            arns.AddRange((JsonNode.Parse(fromMoto.Body)?["taskArns"]?.AsArray() ?? []).Select(a => a!.GetValue<string>()).Where(a => !arns.Contains(a)));
        }

        var offset = DecodeToken(json["nextToken"]?.GetValue<string>());
        var pageSize = Math.Clamp(json["maxResults"]?.GetValue<int>() ?? 100, 1, 100);
        var page = arns.Skip(offset).Take(pageSize).ToList();
        var reply = new JsonObject { ["taskArns"] = new JsonArray(page.Select(a => (JsonNode)a).ToArray()) };
        if (offset + pageSize < arns.Count)
        {
            reply["nextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"offset:{offset + pageSize}")));
        }

        return AwsResponse.Json(reply);
    }

    private static int DecodeToken(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("offset:", StringComparison.Ordinal) && int.TryParse(text[7..], out var offset) ? offset : 0;
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    private async Task<AwsResponse?> DescribeTasksAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var json = request.Json;
        var cluster = ClusterName(json);
        var wanted = (json["tasks"]?.AsArray() ?? []).Select(t => t!.GetValue<string>()).ToList();
        var found = new JsonArray();
        var unknown = new List<string>();
        lock (Gate)
        {
            foreach (var reference in wanted)
            {
                var task = _tasks.Values.FirstOrDefault(t => t.Region == request.Region && t.ClusterName == cluster && (t.Arn == reference || t.Id == reference));
                if (task is null)
                {
                    unknown.Add(reference);
                }
                else
                {
                    found.Add(task.ToJson());
                }
            }
        }

        var failures = new JsonArray();
        if (unknown.Count > 0)
        {
            var forwarded = new JsonObject { ["cluster"] = cluster, ["tasks"] = new JsonArray(unknown.Select(u => (JsonNode)u).ToArray()) };
            try
            {
                var fromMoto = await World.Moto.EcsAsync("DescribeTasks", forwarded, request.Region, cancellationToken).ConfigureAwait(false);
                foreach (var task in fromMoto["tasks"]?.AsArray() ?? [])
                {
                    found.Add(task!.DeepClone());
                }

                var described = (fromMoto["tasks"]?.AsArray() ?? []).Select(t => t?["taskArn"]?.GetValue<string>()).ToHashSet();
                foreach (var reference in unknown.Where(u => !described.Any(d => d is not null && (d == u || d.EndsWith("/" + u, StringComparison.Ordinal)))))
                {
                    failures.Add(new JsonObject { ["arn"] = reference, ["reason"] = "MISSING" });
                }
            }
            catch (MotoCallException ex)
            {
                return AwsResponse.Error(request.Protocol!, ex.Status, ex.Code, ex.AwsMessage);
            }
        }

        return AwsResponse.Json(new JsonObject { ["tasks"] = found, ["failures"] = failures });
    }

    private AwsResponse? StopTask(AwsRequest request)
    {
        var json = request.Json;
        var reference = json["task"]?.GetValue<string>() ?? "";
        lock (Gate)
        {
            var task = _tasks.Values.FirstOrDefault(t => t.Region == request.Region && (t.Arn == reference || t.Id == reference));
            if (task is null)
            {
                return null;
            }

            BeginStop(task, World.Clock.Now, "UserInitiated", json["reason"]?.GetValue<string>() ?? "Task stopped by user", failed: false);
            return AwsResponse.Json(new JsonObject { ["task"] = task.ToJson() });
        }
    }
}
