using System;
using System.Linq;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Testing;

namespace DeployOps.Engine.Tests.Support;

/// <summary>Sessions pointed at a test's sandbox, with an empty environment and throwaway credentials.</summary>
internal static class SandboxSessions
{
    public static AwsSession Create(SandboxFixture sandbox, int? maxAttempts = null) => Create(sandbox, options => options with { MaxAttempts = maxAttempts });

    /// <summary>A session whose options <paramref name="change"/> alters (another region, an endpoint with a path...).</summary>
    public static AwsSession Create(SandboxFixture sandbox, Func<AwsSessionOptions, AwsSessionOptions> change) =>
        AwsSession.Create(
            change(new AwsSessionOptions
            {
                Region = Lightwave.Region,
                EndpointUrl = sandbox.Url.ToString(),
                Credential = new BasicAWSCredentials("sandbox", "sandbox"),
            }),
            MotoSessions.Runtime(new FixedAwsEnvironment()));

    /// <summary>The loopback URL of the scenario's ALB listener.</summary>
    public static async Task<string> AlbUrlAsync(SandboxFixture sandbox) =>
        await Eventually.WaitForAsync(async () =>
        {
            var state = await sandbox.StateAsync();
            return state["loadBalancers"]!.AsArray().FirstOrDefault(l => (string?)l!["name"] == Lightwave.LoadBalancer)?["url"]?.GetValue<string>();
        }, "the ALB's loopback listener");
}
