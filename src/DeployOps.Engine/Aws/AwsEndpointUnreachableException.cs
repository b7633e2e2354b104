using System;

namespace DeployOps.Aws;

/// <summary>Why an endpoint could not be reached.</summary>
public enum AwsUnreachableReason
{
    /// <summary>Nothing listened on the endpoint's port.</summary>
    ConnectionRefused,

    /// <summary>The endpoint's host name did not resolve.</summary>
    NameNotResolved,

    /// <summary>No answer within the request timeout.</summary>
    Timeout,

    /// <summary>The connection dropped before a response arrived.</summary>
    ConnectionLost,

    /// <summary>Another network failure.</summary>
    NetworkError,
}

/// <summary>An AWS endpoint could not be reached, after the retries the policy allowed.</summary>
public sealed class AwsEndpointUnreachableException : AwsCallException
{
    /// <summary>Creates the exception.</summary>
    public AwsEndpointUnreachableException(string service, string operation, Uri endpoint, AwsUnreachableReason reason, Exception? inner)
        : base(service, operation, $"{service} {operation}: the endpoint '{endpoint}' could not be reached ({Explain(reason)}). "
               + "Check the network, the region and any endpoint URL override (-EndpointUrl, AWS_ENDPOINT_URL*).", inner)
    {
        Endpoint = endpoint;
        Reason = reason;
    }

    /// <summary>The endpoint URL that was called.</summary>
    public Uri Endpoint { get; }

    /// <summary>Why it could not be reached.</summary>
    public AwsUnreachableReason Reason { get; }

    private static string Explain(AwsUnreachableReason reason) => reason switch
    {
        AwsUnreachableReason.ConnectionRefused => "connection refused",
        AwsUnreachableReason.NameNotResolved => "the host name did not resolve",
        AwsUnreachableReason.Timeout => "no answer before the request timed out",
        AwsUnreachableReason.ConnectionLost => "the connection dropped",
        _ => "network error",
    };
}
