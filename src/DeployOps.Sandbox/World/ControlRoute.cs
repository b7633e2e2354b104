using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace DeployOps.Sandbox.World;

/// <summary>What a control-API entry of a simulator answers: an HTTP status and a JSON body.</summary>
public sealed record ControlAnswer(int Status, JsonNode Body)
{
    public static ControlAnswer Ok(JsonNode body) => new(200, body);

    /// <summary>A 400 with a one-line <c>error</c>, as the rest of the control API answers bad input.</summary>
    public static ControlAnswer Problem(string message) => new(400, new JsonObject { ["error"] = message });
}

/// <summary>
/// An entry a simulator adds to the control API under <c>/_sandbox/</c> (e.g. <c>GET /_sandbox/slack/messages</c>): the
/// host maps it without knowing the simulator. <paramref name="Handle"/> gets the request's JSON body (null when empty).
/// </summary>
public sealed record ControlRoute(string Method, string Path, Func<JsonNode?, CancellationToken, Task<ControlAnswer>> Handle)
{
    /// <summary>An entry that answers at once, without I/O.</summary>
    public ControlRoute(string method, string path, Func<JsonNode?, ControlAnswer> handle)
        : this(method, path, (body, _) => Task.FromResult(handle(body)))
    {
    }
}
