using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Faults;
using DeployOps.Sandbox.Moto;
using Microsoft.AspNetCore.Http;

namespace DeployOps.Sandbox.Front;

/// <summary>
/// The AWS endpoint clients talk to. Each request may first meet an injected fault; then the simulator that registered
/// its operation in <see cref="AwsRoutes"/> answers it, or moto does, and the write listeners hear of writes. A fault of a
/// kind that strikes after applying replaces the answer of a request that was handled.
/// </summary>
public sealed class AwsFront
{
    private readonly MotoClient _moto;
    private readonly AwsRoutes _routes;
    private readonly FaultInjector _faults;

    public AwsFront(MotoClient moto, AwsRoutes routes, FaultInjector faults)
    {
        _moto = moto;
        _routes = routes;
        _faults = faults;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        var headers = context.Request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? ""))).ToList();
        var request = AwsRequest.Parse(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", headers, body.ToArray());

        var protocol = request.Protocol;
        var faults = _faults.Decide(request.Service, request.Operation);
        foreach (var fault in faults.Where(f => !f.Kind.StrikesAfterApplying()))
        {
            switch (fault.Kind)
            {
                case FaultKind.Latency:
                    await Task.Delay(fault.Rule.LatencyMs, cancellationToken).ConfigureAwait(false);
                    break;
                case FaultKind.Drop:
                    context.Abort();
                    return;
                case FaultKind.Throttle when protocol is not null:
                    await WriteAsync(context, AwsResponse.Error(protocol, protocol.ThrottlingStatus, protocol.ThrottlingCode, "Rate exceeded")).ConfigureAwait(false);
                    return;
                case FaultKind.Error when protocol is not null:
                    await WriteAsync(context, InjectedError(protocol, fault.Rule, "The sandbox injected this error.")).ConfigureAwait(false);
                    return;
            }
        }

        AwsResponse response;
        try
        {
            response = await _routes.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BadMotoAnswerException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // moto broke (or went silent) under the call: the client gets a server error that says so in one line.
            var message = ex is HttpRequestException silent ? await _moto.DescribeNoAnswerAsync(silent).ConfigureAwait(false) : ex.Message;
            response = protocol is null
                ? new AwsResponse(StatusCodes.Status502BadGateway, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(message))
                : AwsResponse.Error(protocol, StatusCodes.Status500InternalServerError, protocol.ServerErrorCode, message);
        }

        _routes.NotifyWrite(request);
        if (faults.FirstOrDefault(f => f.Kind.StrikesAfterApplying()) is { } lostAnswer)
        {
            // The request has taken effect (or failed on its own); the client never learns which.
            _faults.RecordAfterApplying(lostAnswer, request.Service, request.Operation, applied: response.IsSuccess);
            if (lostAnswer.Kind == FaultKind.AppliedThenDrop)
            {
                context.Abort();
                return;
            }

            if (protocol is not null)
            {
                response = InjectedError(protocol, lostAnswer.Rule, "The sandbox injected this error after applying the request.");
            }
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    private static AwsResponse InjectedError(AwsServiceProtocol protocol, FaultRule rule, string message) =>
        AwsResponse.Error(protocol, rule.Status, rule.Status == 503 ? "ServiceUnavailable" : protocol.ServerErrorCode, message);

    private static async Task WriteAsync(HttpContext context, AwsResponse response)
    {
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, CancellationToken.None).ConfigureAwait(false);
    }
}
