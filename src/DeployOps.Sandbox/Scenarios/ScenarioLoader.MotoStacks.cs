using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Simulators.MotoStacks;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>The scenario's <c>motoStacks</c>: stacks made in moto and left complete, deleted or in progress (held by gates).</summary>
public sealed partial class ScenarioLoader
{
    /// <summary>The Lambda function (and its role) every gate's ServiceToken names; it never answers (moto cannot run it).</summary>
    public const string GateFunction = "lightwave-sandbox-deployment-gate";

    private async Task CreateMotoStacksAsync(ScenarioDefinition scenario, string region, CancellationToken cancellationToken)
    {
        if (scenario.MotoStacks.Count == 0)
        {
            return;
        }

        string? gateArn = null;
        if (scenario.MotoStacks.Any(s => s.State == MotoStackState.InProgress))
        {
            var role = await _moto.IamAsync("CreateRole",
                [new("RoleName", GateFunction), new("AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[]}")], cancellationToken).ConfigureAwait(false);
            var roleArn = await RequiredAsync(role, "Arn", "iam", "CreateRole", cancellationToken).ConfigureAwait(false);
            gateArn = await _moto.CreateLambdaFunctionAsync(GateFunction, roleArn, GateCode(), region, cancellationToken).ConfigureAwait(false);
        }

        var seeded = new List<MotoStacksSimulator.SeededStack>();
        foreach (var stack in scenario.MotoStacks)
        {
            var gates = Enumerable.Range(1, stack.Gates).Select(i => $"Gate{i}").ToList();
            var created = await _moto.CloudFormationAsync("CreateStack",
                [new("StackName", stack.Name), new("TemplateBody", Template(stack.Name, gates, gateArn))], region, cancellationToken).ConfigureAwait(false);
            var stackId = await RequiredAsync(created, "StackId", "cloudformation", "CreateStack", cancellationToken).ConfigureAwait(false);
            if (stack.State == MotoStackState.Deleted)
            {
                await _moto.CloudFormationAsync("DeleteStack", [new("StackName", stack.Name)], region, cancellationToken).ConfigureAwait(false);
            }

            seeded.Add(new MotoStacksSimulator.SeededStack(stack.Name, region, stackId, stack.State, gates, stack.OpenEverySeconds));
        }

        _world.Simulator<MotoStacksSimulator>().Seed(seeded);
    }

    /// <summary>A log group the stack owns, and one custom resource per gate.</summary>
    private static string Template(string stackName, IReadOnlyList<string> gates, string? gateArn)
    {
        var resources = new JsonObject
        {
            ["LogGroup"] = new JsonObject
            {
                ["Type"] = "AWS::Logs::LogGroup",
                ["Properties"] = new JsonObject { ["LogGroupName"] = $"/sandbox/{stackName}" },
            },
        };
        foreach (var gate in gates)
        {
            resources[gate] = new JsonObject
            {
                ["Type"] = "Custom::DeploymentGate",
                ["Properties"] = new JsonObject { ["ServiceToken"] = gateArn },
            };
        }

        return new JsonObject { ["Description"] = $"DeployOps sandbox stack {stackName}", ["Resources"] = resources }.ToJsonString();
    }

    private static byte[] GateCode()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("index.py").Open(), Encoding.UTF8);
            writer.Write("def handler(event, context):\n    # A gate never answers by itself: the sandbox opens it.\n    return None\n");
        }

        return buffer.ToArray();
    }
}
