using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;

namespace DeployOps.Sandbox.Front;

/// <summary>Answers one AWS operation; null lets the request pass to moto unchanged.</summary>
public delegate Task<AwsResponse?> AwsHandler(AwsRequest request, CancellationToken cancellationToken);

/// <summary>
/// The dispatch table of the AWS endpoint. Simulators register the operations they answer (service signing name and
/// operation to a handler) and the writes they must hear about; every other request goes to moto unchanged. The front
/// door itself names no service.
/// </summary>
public sealed class AwsRoutes
{
    private readonly MotoClient _moto;
    private readonly Dictionary<(string Service, string Operation), AwsHandler> _handlers = new();
    private readonly Dictionary<string, List<Action<AwsRequest>>> _writeListeners = new(StringComparer.Ordinal);

    public AwsRoutes(MotoClient moto)
    {
        _moto = moto;
    }

    /// <summary>Sends <paramref name="service"/>'s <paramref name="operation"/> to <paramref name="handler"/>; an operation has one handler.</summary>
    public void Answer(string service, string operation, AwsHandler handler)
    {
        Known(service);
        if (!_handlers.TryAdd((service, operation), handler))
        {
            throw new InvalidOperationException($"{service} {operation} is already answered by another simulator; an operation has one handler.");
        }
    }

    /// <summary>moto answers; when it accepts the request, <paramref name="reshape"/> acts on it and returns the JSON answer the client gets.</summary>
    public void AnswerAfterMoto(string service, string operation, Func<AwsRequest, JsonObject, CancellationToken, Task<JsonObject>> reshape) =>
        Answer(service, operation, async (request, cancellationToken) =>
        {
            var reply = await _moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess || JsonNode.Parse(reply.Body) is not JsonObject json)
            {
                return reply;
            }

            return AwsResponse.Json(await reshape(request, json, cancellationToken).ConfigureAwait(false));
        });

    /// <summary>moto answers, unchanged; when it accepts the request, <paramref name="applied"/> hears of it.</summary>
    public void ObserveAfterMoto(string service, string operation, Action<AwsRequest> applied) =>
        Answer(service, operation, async (request, cancellationToken) =>
        {
            var reply = await _moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
            if (reply.IsSuccess)
            {
                applied(request);
            }

            return reply;
        });

    /// <summary>Calls <paramref name="listener"/> after every request to <paramref name="service"/> that may change something (not Describe/List/Get/Filter).</summary>
    public void OnWrite(string service, Action<AwsRequest> listener)
    {
        Known(service);
        if (!_writeListeners.TryGetValue(service, out var listeners))
        {
            _writeListeners[service] = listeners = [];
        }

        listeners.Add(listener);
    }

    /// <summary>The answer of the simulator that registered the operation, or moto's.</summary>
    public async Task<AwsResponse> DispatchAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var answer = _handlers.TryGetValue((request.Service, request.Operation), out var handler)
            ? await handler(request, cancellationToken).ConfigureAwait(false)
            : null;
        return answer ?? await _moto.ForwardAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the write listeners of the request's service about it, when it is a write.</summary>
    public void NotifyWrite(AwsRequest request)
    {
        if (request.IsReadOnly || !_writeListeners.TryGetValue(request.Service, out var listeners))
        {
            return;
        }

        foreach (var listener in listeners)
        {
            listener(request);
        }
    }

    private static void Known(string service)
    {
        if (AwsServiceProtocol.Find(service) is null)
        {
            throw new ArgumentException($"'{service}' is not a signing name the sandbox speaks; add its protocol to {nameof(AwsServiceProtocol)} first.", nameof(service));
        }
    }
}
