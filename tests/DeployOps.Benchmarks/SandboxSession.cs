using System;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Testing;

namespace DeployOps.Benchmarks;

/// <summary>
/// Engine sessions against a benchmark's sandbox, one per command run as a cmdlet makes it: throwaway credentials and an
/// empty environment, so the caller's AWS_* variables (AWS_MAX_ATTEMPTS...) leave the defaults (3 attempts) alone.
/// Retry delays are real.
/// </summary>
public static class SandboxSession
{
    public static AwsSession Create(Uri sandbox) =>
        AwsSession.Create(
            new AwsSessionOptions { Region = Lightwave.Region, EndpointUrl = sandbox.ToString(), Credential = new BasicAWSCredentials("sandbox", "sandbox") },
            new AwsRuntime { Environment = new FixedAwsEnvironment() });
}
