using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;

namespace DeployOps.Sandbox.Tests;

/// <summary>A target as DescribeTargetHealth reports it.</summary>
public sealed record TargetRow(string Id, int Port, string State, string? Reason, string? Description);

/// <summary>The AWS calls the sandbox tests make, through the sandbox's real HTTP endpoint.</summary>
public static class SandboxAws
{
    public static async Task<JsonObject> ServiceAsync(this MotoClient aws, string service = Lightwave.Service)
    {
        var reply = await aws.EcsAsync("DescribeServices", new JsonObject
        {
            ["cluster"] = Lightwave.Cluster,
            ["services"] = new JsonArray(service),
        }, Lightwave.Region, default);
        return reply["services"]![0]!.AsObject();
    }

    public static async Task<string> TargetGroupArnAsync(this MotoClient aws, string name = Lightwave.TargetGroup)
    {
        var reply = await aws.ElbAsync("DescribeTargetGroups", [new("Names.member.1", name)], Lightwave.Region, default);
        return reply.Find("TargetGroupArn")!.Value;
    }

    public static async Task<IReadOnlyList<TargetRow>> TargetHealthAsync(this MotoClient aws, string targetGroupArn)
    {
        var reply = await aws.ElbAsync("DescribeTargetHealth", [new("TargetGroupArn", targetGroupArn)], Lightwave.Region, default);
        return reply.ListBelow("TargetHealthDescriptions")
            .Select(d => new TargetRow(
                d.Child("Target").Text("Id")!,
                d.Child("Target").Int("Port") ?? 0,
                d.Child("TargetHealth").Text("State")!,
                d.Child("TargetHealth").Text("Reason"),
                d.Child("TargetHealth").Text("Description")))
            .ToList();
    }

    public static async Task<IReadOnlyList<JsonObject>> TasksAsync(this MotoClient aws, string desiredStatus)
    {
        var list = await aws.EcsAsync("ListTasks", new JsonObject
        {
            ["cluster"] = Lightwave.Cluster,
            ["serviceName"] = Lightwave.Service,
            ["desiredStatus"] = desiredStatus,
        }, Lightwave.Region, default);
        var arns = list["taskArns"]!.AsArray();
        if (arns.Count == 0)
        {
            return [];
        }

        var described = await aws.EcsAsync("DescribeTasks", new JsonObject { ["cluster"] = Lightwave.Cluster, ["tasks"] = arns.DeepClone() }, Lightwave.Region, default);
        return described["tasks"]!.AsArray().Select(t => t!.AsObject()).ToList();
    }

    public static async Task<string> SecurityGroupIdAsync(this MotoClient aws, string name)
    {
        var reply = await aws.Ec2Async("DescribeSecurityGroups", [new("Filter.1.Name", "group-name"), new("Filter.1.Value.1", name)], Lightwave.Region, default);
        return reply.Find("groupId")!.Value;
    }

    public static IEnumerable<string> EventMessages(this JsonObject service) =>
        service["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>());

    public static JsonObject Primary(this JsonObject service) =>
        service["deployments"]!.AsArray().Select(d => d!.AsObject()).Single(d => d["status"]!.GetValue<string>() == "PRIMARY");
}
