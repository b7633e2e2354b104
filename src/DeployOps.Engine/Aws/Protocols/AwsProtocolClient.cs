using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using DeployOps.Aws.Http;

namespace DeployOps.Aws.Protocols;

/// <summary>What the JSON and query clients share: the service, its endpoint and the session's request pipeline.</summary>
public abstract class AwsProtocolClient
{
    private readonly AwsRequestPipeline _pipeline;

    private protected AwsProtocolClient(AwsServiceDescription service, Uri endpoint, AwsRequestPipeline pipeline, params AwsProtocol[] spoken)
    {
        if (!spoken.Contains(service.Protocol))
        {
            throw new ArgumentException($"{service.ServiceId} speaks {service.Protocol}, which {GetType().Name} does not.", nameof(service));
        }

        Service = service;
        Endpoint = endpoint;
        _pipeline = pipeline;
    }

    /// <summary>The service this client calls.</summary>
    public AwsServiceDescription Service { get; }

    /// <summary>The endpoint it calls.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Sends one framed request through the pipeline and parses the 2xx body with <paramref name="parse"/>; a body that
    /// cannot be parsed is not an AWS answer (<see cref="AwsUnexpectedResponseException"/>). <paramref name="readError"/>
    /// reads an error response, or returns null when its body is no AWS error document.
    /// </summary>
    private protected async Task<T> SendAsync<T>(
        AwsOperation operation,
        byte[] body,
        string contentType,
        string? target,
        Func<AwsHttpResponse, AwsErrorDetails?> readError,
        Func<string, T> parse,
        CancellationToken cancellationToken)
    {
        var request = new AwsHttpRequest(Service, Endpoint, operation, body, contentType, target);
        var response = await _pipeline.SendAsync(request, readError, cancellationToken).ConfigureAwait(false);
        try
        {
            return parse(response.Body);
        }
        catch (Exception ex) when (ex is JsonException or XmlException)
        {
            throw _pipeline.Unexpected(request, response.StatusCode, ex);
        }
    }
}
