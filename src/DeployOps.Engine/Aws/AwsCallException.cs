using System;

namespace DeployOps.Aws;

/// <summary>
/// A call to an AWS service failed. Catch this to handle every call failure at once;
/// <see cref="AwsServiceException"/>, <see cref="AwsEndpointUnreachableException"/> and
/// <see cref="AwsOutcomeUnknownException"/> say how.
/// </summary>
public abstract class AwsCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected AwsCallException(string service, string operation, string message, Exception? inner)
        : base(message, inner)
    {
        Service = service;
        Operation = operation;
    }

    /// <summary>The service id, e.g. <c>ECS</c>.</summary>
    public string Service { get; }

    /// <summary>The operation, e.g. <c>DescribeServices</c>.</summary>
    public string Operation { get; }
}
