using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Simulators.EcsRuntime;

namespace DeployOps.Sandbox.Simulators.Lightsail;

/// <summary>The simulator's state in botocore's Lightsail shapes (ContainerService, ContainerServiceDeployment, ContainerImage), and Lightsail's errors.</summary>
public static class LightsailJson
{
    /// <summary>The wire name of a service state, e.g. RUNNING.</summary>
    public static string StateName(ServiceState state) => state.ToString().ToUpperInvariant();

    /// <summary>The wire name of a deployment state, e.g. ACTIVATING.</summary>
    public static string StateName(DeploymentState state) => state.ToString().ToUpperInvariant();

    /// <summary>botocore's <c>ContainerService</c>.</summary>
    public static JsonObject Service(ContainerService service, double now)
    {
        var json = new JsonObject
        {
            ["containerServiceName"] = service.Name,
            ["arn"] = service.Arn,
            ["createdAt"] = WorldTask.Epoch(service.CreatedAt),
            ["location"] = new JsonObject { ["availabilityZone"] = "all", ["regionName"] = service.Region },
            ["resourceType"] = "ContainerService",
            ["tags"] = new JsonArray(),
            ["power"] = service.Power,
            ["powerId"] = service.Power + "-1",
            ["state"] = StateName(service.State),
            ["scale"] = service.Scale,
            ["isDisabled"] = service.IsDisabled,
            ["principalArn"] = $"arn:aws:iam::{World.WorldContext.AccountId}:role/amazon/lightsail/{service.Region}/containers/{service.Name}/{service.Arn[(service.Arn.LastIndexOf('/') + 1)..]}",
            ["privateDomainName"] = $"{service.Name}.service.local",
            ["publicDomainNames"] = new JsonObject(),
            ["url"] = service.Url,
            ["privateRegistryAccess"] = new JsonObject { ["ecrImagePullerRole"] = new JsonObject { ["isActive"] = false, ["principalArn"] = "" } },
        };
        if (StateDetail(service, now) is { } detail)
        {
            json["stateDetail"] = new JsonObject { ["code"] = detail.Code, ["message"] = detail.Message };
        }

        if (service.Current is { } current)
        {
            json["currentDeployment"] = Deployment(current);
        }

        if (service.Next is { } next)
        {
            json["nextDeployment"] = Deployment(next);
        }

        return json;
    }

    /// <summary>The stateDetail Lightsail gives while a service is PENDING, DEPLOYING or UPDATING; null otherwise.</summary>
    public static (string Code, string Message)? StateDetail(ContainerService service, double now) => service.State switch
    {
        ServiceState.Pending when now < service.StateEndsAt - 10 => ("CREATING_SYSTEM_RESOURCES", "Creating the system resources of the container service."),
        ServiceState.Pending => ("PROVISIONING_SERVICE", "Provisioning the container service."),
        ServiceState.Updating => ("PROVISIONING_SERVICE", "Updating the container service's capacity."),
        ServiceState.Deploying when service.Next is { } next => next.Step switch
        {
            ActivationStep.CreatingDeployment => ("CREATING_DEPLOYMENT", $"Creating deployment {next.Version}."),
            ActivationStep.EvaluatingHealthCheck => ("EVALUATING_HEALTH_CHECK", $"Evaluating the health checks of deployment {next.Version}."),
            _ => ("ACTIVATING_DEPLOYMENT", $"Activating deployment {next.Version}."),
        },
        _ => null,
    };

    /// <summary>botocore's <c>ContainerServiceDeployment</c>.</summary>
    public static JsonObject Deployment(ServiceDeployment deployment)
    {
        var json = new JsonObject
        {
            ["version"] = deployment.Version,
            ["state"] = StateName(deployment.State),
            ["containers"] = new JsonObject(deployment.Containers.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)new JsonObject
            {
                ["image"] = c.Image,
                ["command"] = new JsonArray(c.Command.Select(a => (JsonNode)a).ToArray()),
                ["environment"] = new JsonObject(c.Environment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
                ["ports"] = new JsonObject(c.Ports.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            }))),
            ["createdAt"] = WorldTask.Epoch(deployment.CreatedAt),
        };
        if (deployment.PublicEndpoint is { } endpoint)
        {
            var check = endpoint.HealthCheck;
            json["publicEndpoint"] = new JsonObject
            {
                ["containerName"] = endpoint.ContainerName,
                ["containerPort"] = endpoint.ContainerPort,
                ["healthCheck"] = new JsonObject
                {
                    ["healthyThreshold"] = check.HealthyThreshold,
                    ["unhealthyThreshold"] = check.UnhealthyThreshold,
                    ["timeoutSeconds"] = check.TimeoutSeconds,
                    ["intervalSeconds"] = check.IntervalSeconds,
                    ["path"] = check.Path,
                    ["successCodes"] = check.SuccessCodes,
                },
            };
        }

        return json;
    }

    /// <summary>botocore's <c>ContainerImage</c>.</summary>
    public static JsonObject Image(PushedImage image) => new()
    {
        ["image"] = image.Reference,
        ["digest"] = image.Digest,
        ["createdAt"] = WorldTask.Epoch(image.CreatedAt),
    };

    /// <summary>
    /// A Lightsail error: HTTP 400 (500 for ServiceException) with <c>__type</c> and the members Lightsail's error
    /// shapes carry (<c>code</c>, <c>docs</c>, <c>message</c>, <c>tip</c>).
    /// </summary>
    public static AwsResponse Error(string type, string code, string message, string tip = "")
    {
        var body = new JsonObject
        {
            ["__type"] = type,
            ["code"] = code,
            ["docs"] = "https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/",
            ["message"] = message,
            ["tip"] = tip,
        };
        var requestId = AwsServiceProtocol.NewRequestId();
        return new AwsResponse(type == "ServiceException" ? 500 : 400, "application/x-amz-json-1.1", Encoding.UTF8.GetBytes(body.ToJsonString()),
            [new("x-amzn-RequestId", requestId), new("x-amzn-ErrorType", type)]);
    }

    public static AwsResponse NotFound(string message) => Error("NotFoundException", "DoesNotExist", message);

    public static AwsResponse InvalidInput(string message, string tip = "") => Error("InvalidInputException", "InvalidInput", message, tip);

    /// <summary>An opaque page token: the index of the next entry.</summary>
    public static string PageToken(int next) => Convert.ToBase64String(Encoding.UTF8.GetBytes("page:" + next));

    /// <summary>The index a page token stands for; null when it is not one this simulator gave.</summary>
    public static int? PageIndex(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("page:", StringComparison.Ordinal) && int.TryParse(text[5..], out var index) && index >= 0 ? index : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
