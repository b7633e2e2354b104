using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.Lightsail;

/// <summary>The container-service operations of <c>Lightsail_20161128</c>, each validated as Lightsail does and answered in botocore's shapes.</summary>
public sealed partial class LightsailSimulator
{
    /// <summary>Log events per GetContainerLog page.</summary>
    public const int LogPageSize = 100;

    private delegate AwsResponse Operation(AwsRequest request, JsonObject input, double now);

    /// <summary>Answers every container-service operation; the others of Lightsail are not simulated (moto has no Lightsail).</summary>
    public override void Register(AwsRoutes routes)
    {
        void Answer(string name, Operation operation) => routes.Answer(Service, name, (request, _) =>
        {
            AwsResponse response;
            lock (Gate)
            {
                response = operation(request, request.Json, World.Clock.Now);
            }

            return Task.FromResult<AwsResponse?>(response);
        });

        Answer("CreateContainerService", CreateContainerService);
        Answer("GetContainerServices", GetContainerServices);
        Answer("UpdateContainerService", UpdateContainerService);
        Answer("DeleteContainerService", DeleteContainerService);
        Answer("CreateContainerServiceDeployment", CreateContainerServiceDeployment);
        Answer("GetContainerServiceDeployments", GetContainerServiceDeployments);
        Answer("RegisterContainerImage", RegisterContainerImage);
        Answer("GetContainerImages", GetContainerImages);
        Answer("DeleteContainerImage", DeleteContainerImage);
        Answer("GetContainerLog", GetContainerLog);
        Answer("GetContainerServiceMetricData", GetContainerServiceMetricData);
    }

    // ---------------------------------------------------------------- services

    private AwsResponse CreateContainerService(AwsRequest request, JsonObject input, double now)
    {
        var name = Text(input, "serviceName");
        if (ValidName(name, "serviceName") is { } badName)
        {
            return badName;
        }

        if (_services.ContainsKey((request.Region, name!)))
        {
            return LightsailJson.InvalidInput($"A container service named {name} already exists in {request.Region}.");
        }

        var power = Text(input, "power");
        if (power is null || !LightsailScenarioReader.Powers.Contains(power))
        {
            return LightsailJson.InvalidInput($"power '{power}' is not a container service power; expected one of {string.Join(", ", LightsailScenarioReader.Powers)}.");
        }

        if (ValidScale(input) is { } badScale)
        {
            return badScale;
        }

        var service = new ContainerService(request.Region, name!, power, Integer(input, "scale")!.Value, DateTimeOffset.UtcNow) { StateEndsAt = now + _timings.ProvisioningSeconds };
        if (input["deployment"] is JsonObject deploymentRequest)
        {
            if (ReadDeployment(service, deploymentRequest, now, out var deployment) is { } invalid)
            {
                return invalid;
            }

            service.Deployments.Add(deployment!);
        }

        _services[(request.Region, name!)] = service;
        OpenPublicEndpoint(service);
        return AwsResponse.Json(new JsonObject { ["containerService"] = LightsailJson.Service(service, now) });
    }

    private AwsResponse GetContainerServices(AwsRequest request, JsonObject input, double now)
    {
        var name = Text(input, "serviceName");
        if (name is not null)
        {
            return Find(request, input, out var service) is { } missing
                ? missing
                : AwsResponse.Json(new JsonObject { ["containerServices"] = new JsonArray(LightsailJson.Service(service!, now)) });
        }

        var all = _services.Values.Where(s => s.Region == request.Region).OrderBy(s => s.Name, StringComparer.Ordinal);
        return AwsResponse.Json(new JsonObject { ["containerServices"] = new JsonArray(all.Select(s => (JsonNode)LightsailJson.Service(s, now)).ToArray()) });
    }

    private AwsResponse UpdateContainerService(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        if (service!.State is ServiceState.Pending or ServiceState.Deploying or ServiceState.Deleting)
        {
            return NotNow(service, "updated");
        }

        var power = Text(input, "power");
        if (power is not null && !LightsailScenarioReader.Powers.Contains(power))
        {
            return LightsailJson.InvalidInput($"power '{power}' is not a container service power; expected one of {string.Join(", ", LightsailScenarioReader.Powers)}.");
        }

        if (input["scale"] is not null && ValidScale(input) is { } badScale)
        {
            return badScale;
        }

        var scale = Integer(input, "scale");
        var disable = input["isDisabled"] is JsonValue flag && flag.TryGetValue<bool>(out var isDisabled) ? isDisabled : (bool?)null;
        if (disable == true)
        {
            service.IsDisabled = true;
            service.State = ServiceState.Disabled;
            foreach (var node in service.Nodes.ToList())
            {
                StopNode(service, node);
            }
        }
        else if (disable == false || (service.State != ServiceState.Disabled && (power is not null && power != service.Power || scale is not null && scale != service.Scale)))
        {
            service.IsDisabled = false;
            service.State = ServiceState.Updating;
            service.StateEndsAt = now + _timings.UpdatingSeconds;
        }

        service.Power = power ?? service.Power;
        service.Scale = scale ?? service.Scale;
        return AwsResponse.Json(new JsonObject { ["containerService"] = LightsailJson.Service(service, now) });
    }

    private AwsResponse DeleteContainerService(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        if (service!.State != ServiceState.Deleting)
        {
            service.State = ServiceState.Deleting;
            service.StateEndsAt = now + _timings.DeletingSeconds;
            foreach (var node in service.Nodes.ToList())
            {
                StopNode(service, node);
            }
        }

        return AwsResponse.Json(new JsonObject());
    }

    // ---------------------------------------------------------------- deployments

    private AwsResponse CreateContainerServiceDeployment(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        if (service!.State is ServiceState.Deploying or ServiceState.Pending or ServiceState.Updating or ServiceState.Deleting or ServiceState.Disabled)
        {
            return NotNow(service, "given a new deployment");
        }

        if (ReadDeployment(service, input, now, out var deployment) is { } invalid)
        {
            return invalid;
        }

        service.Deployments.Add(deployment!);
        StartActivation(service, deployment!, now);
        return AwsResponse.Json(new JsonObject { ["containerService"] = LightsailJson.Service(service, now) });
    }

    private AwsResponse GetContainerServiceDeployments(AwsRequest request, JsonObject input, double now) =>
        Find(request, input, out var service) is { } missing
            ? missing
            : AwsResponse.Json(new JsonObject
            {
                ["deployments"] = new JsonArray(service!.Deployments.AsEnumerable().Reverse().Take(50).Select(d => (JsonNode)LightsailJson.Deployment(d)).ToArray()),
            });

    /// <summary>Reads a deployment request (<c>containers</c>, <c>publicEndpoint</c>) as Lightsail validates it; returns the error, or null and the deployment.</summary>
    private AwsResponse? ReadDeployment(ContainerService service, JsonObject input, double now, out ServiceDeployment? deployment)
    {
        deployment = null;
        if (input["containers"] is not JsonObject containersJson || containersJson.Count == 0)
        {
            return LightsailJson.InvalidInput("A deployment needs at least one container (containers).");
        }

        var containers = new List<ContainerSpec>();
        foreach (var (name, value) in containersJson)
        {
            if (ValidName(name, "containers") is { } badName)
            {
                return badName;
            }

            var spec = value as JsonObject ?? [];
            var image = Text(spec, "image");
            if (string.IsNullOrWhiteSpace(image))
            {
                return LightsailJson.InvalidInput($"Container {name} has no image.");
            }

            if (image.StartsWith(':') && service.Images.All(i => i.Reference != image))
            {
                return LightsailJson.InvalidInput($"The container image {image} does not exist in container service {service.Name}.",
                    "Push the image first (aws lightsail push-container-image), or name an image listed by get-container-images.");
            }

            containers.Add(new ContainerSpec(
                name,
                image,
                (spec["command"] as JsonArray ?? []).Select(a => a is JsonValue v && v.TryGetValue<string>(out var text) ? text : "").ToList(),
                (spec["environment"] as JsonObject ?? []).ToDictionary(e => e.Key, e => Text(spec["environment"]!.AsObject(), e.Key) ?? "", StringComparer.Ordinal),
                (spec["ports"] as JsonObject ?? []).ToDictionary(p => p.Key, p => Text(spec["ports"]!.AsObject(), p.Key) ?? "", StringComparer.Ordinal)));
        }

        if (containers.SelectMany(c => c.Ports).FirstOrDefault(p => !int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _) || p.Value is not ("HTTP" or "HTTPS" or "TCP" or "UDP")) is { Key: not null } badPort)
        {
            return LightsailJson.InvalidInput($"Port {badPort.Key}: {badPort.Value} is not a port and protocol; expected a port number and HTTP, HTTPS, TCP or UDP.");
        }

        EndpointSpec? endpoint = null;
        if (input["publicEndpoint"] is JsonObject endpointJson)
        {
            var containerName = Text(endpointJson, "containerName");
            var port = Integer(endpointJson, "containerPort");
            var served = containers.FirstOrDefault(c => c.Name == containerName);
            if (served is null || port is null || !served.Ports.TryGetValue(port.Value.ToString(CultureInfo.InvariantCulture), out var protocol) || protocol is not ("HTTP" or "HTTPS"))
            {
                return LightsailJson.InvalidInput($"The public endpoint {containerName}:{port} must name a container of the deployment and one of its HTTP or HTTPS ports.");
            }

            var defaults = new LightsailHealthCheckDefinition();
            var check = endpointJson["healthCheck"] as JsonObject ?? [];
            var healthCheck = new LightsailHealthCheckDefinition
            {
                HealthyThreshold = Integer(check, "healthyThreshold") ?? defaults.HealthyThreshold,
                UnhealthyThreshold = Integer(check, "unhealthyThreshold") ?? defaults.UnhealthyThreshold,
                TimeoutSeconds = Integer(check, "timeoutSeconds") ?? defaults.TimeoutSeconds,
                IntervalSeconds = Integer(check, "intervalSeconds") ?? defaults.IntervalSeconds,
                Path = Text(check, "path") ?? defaults.Path,
                SuccessCodes = Text(check, "successCodes") ?? defaults.SuccessCodes,
            };
            if (InvalidHealthCheck(healthCheck) is { } problem)
            {
                return LightsailJson.InvalidInput(problem);
            }

            endpoint = new EndpointSpec(served.Name, port.Value, healthCheck);
        }

        deployment = new ServiceDeployment(service.NextVersion, containers, endpoint, DateTimeOffset.UtcNow, now);
        return null;
    }

    private static string? InvalidHealthCheck(LightsailHealthCheckDefinition check) =>
        check.HealthyThreshold is < 2 or > 10 ? $"healthyThreshold {check.HealthyThreshold} is out of range; expected 2 to 10."
        : check.UnhealthyThreshold is < 2 or > 10 ? $"unhealthyThreshold {check.UnhealthyThreshold} is out of range; expected 2 to 10."
        : check.TimeoutSeconds is < 2 or > 60 ? $"timeoutSeconds {check.TimeoutSeconds} is out of range; expected 2 to 60."
        : check.IntervalSeconds is < 5 or > 300 ? $"intervalSeconds {check.IntervalSeconds} is out of range; expected 5 to 300."
        : !check.Path.StartsWith('/') ? $"The health check path '{check.Path}' must start with /."
        : !System.Text.RegularExpressions.Regex.IsMatch(check.SuccessCodes, @"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$") ? $"successCodes '{check.SuccessCodes}' are not HTTP codes such as 200-499."
        : null;

    // ---------------------------------------------------------------- images

    private AwsResponse RegisterContainerImage(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        var label = Text(input, "label");
        if (ValidName(label, "label") is { } badLabel)
        {
            return badLabel;
        }

        var digest = Text(input, "digest");
        if (string.IsNullOrWhiteSpace(digest))
        {
            return LightsailJson.InvalidInput("digest is required: the digest of the image pushed to the service's registry.");
        }

        // The application a digest runs: the one a scenario image with that digest runs, or the one whose default digest it is.
        var application = _services.Values.SelectMany(s => s.Images).FirstOrDefault(i => i.Digest == digest)?.Application
                          ?? _applications.Keys.FirstOrDefault(a => LightsailScenarioReader.DefaultDigest(a) == digest);
        var image = new PushedImage($":{service!.Name}.{label}.{service.NextImageNumber()}", digest, application, DateTimeOffset.UtcNow);
        service.Images.Add(image);
        return AwsResponse.Json(new JsonObject { ["containerImage"] = LightsailJson.Image(image) });
    }

    private AwsResponse GetContainerImages(AwsRequest request, JsonObject input, double now) =>
        Find(request, input, out var service) is { } missing
            ? missing
            : AwsResponse.Json(new JsonObject
            {
                ["containerImages"] = new JsonArray(service!.Images.OrderByDescending(i => i.CreatedAt).Select(i => (JsonNode)LightsailJson.Image(i)).ToArray()),
            });

    private AwsResponse DeleteContainerImage(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        var reference = Text(input, "image");
        var image = service!.Images.FirstOrDefault(i => i.Reference == reference);
        if (image is null)
        {
            return LightsailJson.NotFound($"The container image {reference} does not exist in container service {service.Name}.");
        }

        if (new[] { service.Current, service.Next }.Any(d => d?.Containers.Any(c => c.Image == reference) == true))
        {
            return LightsailJson.InvalidInput($"The container image {reference} is used by the current or next deployment of {service.Name} and cannot be deleted.");
        }

        service.Images.Remove(image);
        return AwsResponse.Json(new JsonObject());
    }

    // ---------------------------------------------------------------- logs and metrics

    private AwsResponse GetContainerLog(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        var container = Text(input, "containerName");
        if (container is null || service!.Deployments.All(d => d.Containers.All(c => c.Name != container)))
        {
            return LightsailJson.NotFound($"Container service {service!.Name} has no container named {container}.");
        }

        var start = Time(input, "startTime") ?? DateTimeOffset.MinValue;
        var end = Time(input, "endTime") ?? DateTimeOffset.MaxValue;
        var terms = FilterTerms(Text(input, "filterPattern"));
        var events = service.Logs.GetValueOrDefault(container, [])
            .Where(e => e.At >= start && e.At <= end && terms.All(t => t.Exclude != e.Message.Contains(t.Text, StringComparison.Ordinal)))
            .ToList();
        var from = 0;
        if (Text(input, "pageToken") is { } token && LightsailJson.PageIndex(token) is not { } index)
        {
            return LightsailJson.InvalidInput("pageToken is not a token a GetContainerLog answer gave.");
        }
        else if (Text(input, "pageToken") is { } given)
        {
            from = LightsailJson.PageIndex(given)!.Value;
        }

        var page = events.Skip(from).Take(LogPageSize).ToList();
        var answer = new JsonObject
        {
            ["logEvents"] = new JsonArray(page.Select(e => (JsonNode)new JsonObject { ["createdAt"] = EcsRuntime.WorldTask.Epoch(e.At), ["message"] = e.Message }).ToArray()),
        };
        if (from + page.Count < events.Count)
        {
            answer["nextPageToken"] = LightsailJson.PageToken(from + page.Count);
        }

        return AwsResponse.Json(answer);
    }

    /// <summary>
    /// A filter pattern's terms, as Lightsail (CloudWatch Logs' syntax) takes them: words or "quoted phrases" that must all
    /// appear, a leading minus for one that must not.
    /// </summary>
    private static IReadOnlyList<(string Text, bool Exclude)> FilterTerms(string? pattern)
    {
        var terms = new List<(string, bool)>();
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(pattern ?? "", "(-?)(?:\"([^\"]*)\"|(\\S+))"))
        {
            var text = match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
            if (text.Length > 0)
            {
                terms.Add((text, match.Groups[1].Value == "-"));
            }
        }

        return terms;
    }

    private AwsResponse GetContainerServiceMetricData(AwsRequest request, JsonObject input, double now)
    {
        if (Find(request, input, out var service) is { } missing)
        {
            return missing;
        }

        var metric = Text(input, "metricName");
        if (metric is not ("CPUUtilization" or "MemoryUtilization"))
        {
            return LightsailJson.InvalidInput($"metricName '{metric}' is not a container service metric; expected CPUUtilization or MemoryUtilization.");
        }

        var period = Integer(input, "period");
        var start = Time(input, "startTime");
        var end = Time(input, "endTime");
        var statistics = (input["statistics"] as JsonArray ?? []).Select(s => s?.GetValue<string>() ?? "").ToList();
        if (period is not (>= 60 and <= 86400) || start is null || end is null || end <= start || statistics.Count == 0
            || statistics.Any(s => s is not ("Minimum" or "Maximum" or "Sum" or "Average" or "SampleCount")))
        {
            return LightsailJson.InvalidInput("GetContainerServiceMetricData needs startTime before endTime, a period of 60 to 86400 seconds and statistics among Minimum, Maximum, Sum, Average, SampleCount.");
        }

        var nodes = service!.Current is { } current ? service.NodesOf(current).Count() : 0;
        var datapoints = new JsonArray();
        for (var at = start.Value < service.CreatedAt ? service.CreatedAt : start.Value; at < end.Value && datapoints.Count < 1440; at = at.AddSeconds(period.Value))
        {
            // A steady, plausible load: a few percent of CPU and a third of memory, varying a little from period to period.
            var wobble = (Math.Abs(HashCode.Combine(service.Name, at.ToUnixTimeSeconds() / period.Value)) % 100) / 100.0;
            var average = metric == "CPUUtilization" ? 2 + (3 * wobble) + nodes : 30 + (8 * wobble);
            var point = new JsonObject { ["timestamp"] = EcsRuntime.WorldTask.Epoch(at), ["unit"] = "Percent" };
            foreach (var statistic in statistics)
            {
                point[char.ToLowerInvariant(statistic[0]) + statistic[1..]] = statistic switch
                {
                    "Minimum" => Math.Round(average * 0.7, 3),
                    "Maximum" => Math.Round(average * 1.4, 3),
                    "Sum" => Math.Round(average * period.Value / 60, 3),
                    "SampleCount" => (double)(period.Value / 60),
                    _ => Math.Round(average, 3),
                };
            }

            datapoints.Add(point);
        }

        return AwsResponse.Json(new JsonObject { ["metricName"] = metric, ["metricData"] = datapoints });
    }

    // ---------------------------------------------------------------- request members and common answers

    private AwsResponse? Find(AwsRequest request, JsonObject input, out ContainerService? service)
    {
        service = null;
        var name = Text(input, "serviceName");
        if (name is null)
        {
            return LightsailJson.InvalidInput("serviceName is required.");
        }

        return _services.TryGetValue((request.Region, name), out service)
            ? null
            : LightsailJson.NotFound($"The container service {name} does not exist in {request.Region}.");
    }

    private static AwsResponse NotNow(ContainerService service, string what) =>
        LightsailJson.InvalidInput($"The container service {service.Name} cannot be {what} while it is {LightsailJson.StateName(service.State)}.",
            "Wait until the service is READY or RUNNING, then try again.");

    private static AwsResponse? ValidName(string? name, string member) =>
        name is not null && name.Length <= 63 && LightsailScenarioReader.NamePattern().IsMatch(name)
            ? null
            : LightsailJson.InvalidInput($"{member}: '{name}' is not a valid name; expected 1 to 63 lower-case letters, digits and dashes, not starting or ending with a dash.");

    private static AwsResponse? ValidScale(JsonObject input) =>
        Integer(input, "scale") is >= 1 and <= 20 ? null : LightsailJson.InvalidInput($"scale '{input["scale"]}' is out of range; expected 1 to 20.");

    private static string? Text(JsonObject input, string name) =>
        input[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Integer(JsonObject input, string name) =>
        input[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    /// <summary>A timestamp member: epoch seconds (the JSON protocol's form) or an ISO 8601 string.</summary>
    private static DateTimeOffset? Time(JsonObject input, string name) => input[name] switch
    {
        JsonValue value when value.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)),
        JsonValue value when value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        _ => null,
    };
}
