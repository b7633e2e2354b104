using System;

namespace DeployOps.Aws;

/// <summary>
/// A non-idempotent request failed in a way that does not say whether AWS applied it (a 5xx after sending,
/// a timeout, a dropped connection). It is not retried: a second ECS UpdateService with forceNewDeployment
/// would start a second deployment. The caller should look at the resource before trying again.
/// </summary>
public sealed class AwsOutcomeUnknownException : AwsCallException
{
    /// <summary>Creates the exception; <paramref name="inner"/> is the failure that made the outcome unknown.</summary>
    public AwsOutcomeUnknownException(string service, string operation, Uri endpoint, Exception inner)
        : base(service, operation, $"{service} {operation} may or may not have been applied: {inner.Message} "
               + "It was not retried because repeating it is not safe. Check the resource's current state before trying again.", inner)
    {
        Endpoint = endpoint;
    }

    /// <summary>The endpoint URL that was called.</summary>
    public Uri Endpoint { get; }
}
