using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Sandbox.Faults;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.Moto;
using DeployOps.Sandbox.Scenarios;
using DeployOps.Sandbox.World;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeployOps.Sandbox;

/// <summary>What the sandbox is started with (the command line's options).</summary>
public sealed record SandboxOptions
{
    public const double DefaultSpeed = 30;

    public string Scenario { get; init; } = "healthy";

    /// <summary>The port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; } = 4566;

    public double Speed { get; init; } = DefaultSpeed;

    /// <summary>An already running moto to use instead of starting one.</summary>
    public Uri? MotoUrl { get; init; }

    public string ScenariosDirectory { get; init; } = ScenarioReader.DefaultDirectory;

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}

/// <summary>
/// A running sandbox: moto (started here or given), the world on top of it, and the HTTP endpoint
/// on 127.0.0.1 that serves AWS requests and the <c>/_sandbox/</c> control API.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ControlJson = new(JsonSerializerDefaults.Web);

    private readonly SandboxOptions _options;
    private readonly SemaphoreSlim _scenarioGate = new(1, 1);
    private int _startCalled;
    private int _disposed;
    private MotoServer? _ownMoto;
    private MotoClient? _moto;
    private SandboxWorld? _world;
    private WebApplication? _app;
    private ScenarioLoader? _loader;

    public SandboxHost(SandboxOptions options)
    {
        _options = options;
    }

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public Uri MotoUrl => _moto?.BaseUrl ?? throw new InvalidOperationException("The sandbox is not started.");

    /// <summary>The moto_server process this sandbox started (null when it uses a moto named by --moto-url); readable after it has stopped.</summary>
    public int? MotoProcessId => _ownMoto?.ProcessId;

    public FaultInjector Faults { get; } = new();

    public SandboxWorld World => _world ?? throw new InvalidOperationException("The sandbox is not started.");

    /// <summary>Creates a sandbox and starts it (see <see cref="StartAsync(CancellationToken)"/>).</summary>
    public static async Task<SandboxHost> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var host = new SandboxHost(options);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>
    /// Starts moto, loads the scenario, then serves. When a step fails or is cancelled, everything started so far (moto
    /// included) is stopped before the exception leaves: <see cref="SandboxStartException"/>, <see cref="ScenarioException"/>
    /// or <see cref="BadMotoAnswerException"/>, each with a one-line message for people, or an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _startCalled, 1) == 1)
        {
            throw new InvalidOperationException("A sandbox host starts once; create another one.");
        }

        try
        {
            WorldClock.ValidateSpeed(_options.Speed);
            var scenario = ScenarioReader.Read(_options.Scenario, _options.ScenariosDirectory);
            await StartCoreAsync(scenario, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (_moto is not null)
        {
            var message = await _moto.DescribeNoAnswerAsync(ex).ConfigureAwait(false);
            await DisposeAsync().ConfigureAwait(false);
            throw new SandboxStartException(message, ex);
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        EnsurePortFree(_options.Port);
        if (_options.MotoUrl is { } motoUrl)
        {
            var externalLog = MotoLog.NotAvailable(motoUrl);
            await MotoServer.WaitUntilAnsweringAsync(motoUrl, TimeSpan.FromSeconds(30), externalLog, null, cancellationToken).ConfigureAwait(false);
            _moto = new MotoClient(motoUrl, externalLog);
        }
        else
        {
            // Kept before it is ready, so that a failure or Ctrl-C while waiting for it stops it too.
            _ownMoto = MotoServer.Start();
            await _ownMoto.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            _moto = new MotoClient(_ownMoto.Url, _ownMoto.Log);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Standard output carries only the ready lines; everything the sandbox logs goes to standard error, one line an entry.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(_options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, _options.Port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        _app = builder.Build();
        var log = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DeployOps.Sandbox");
        _world = new SandboxWorld(_moto, new WorldClock(_options.Speed), log);
        _loader = new ScenarioLoader(_moto, _world);
        var front = new AwsFront(_moto, _world.Routes, Faults);
        // Everything outside /_sandbox/ is an AWS request; the control API's endpoints get the rest.
        _app.Use((context, next) => context.Request.Path.StartsWithSegments("/_sandbox") ? next(context) : front.HandleAsync(context));
        MapControlApi(_app);
        MapSimulatorControl(_app);

        await _loader.LoadAsync(scenario, cancellationToken).ConfigureAwait(false);
        _world.Start();
        try
        {
            await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw PortTaken(_options.Port, ex);
        }

        var address = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        foreach (var url in address.Addresses)
        {
            Url = new Uri(url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    private static void EnsurePortFree(int port)
    {
        if (port == 0)
        {
            return;
        }

        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
        }
        catch (SocketException ex)
        {
            throw PortTaken(port, ex);
        }
    }

    private static SandboxStartException PortTaken(int port, Exception inner) =>
        new($"Port {port} on 127.0.0.1 is already in use. Stop whatever holds it (another sandbox?) or pass --port with a free port (--port 0 picks one).", inner);

    /// <summary>Resets moto and the world and builds the named scenario.</summary>
    public async Task LoadScenarioAsync(string name, CancellationToken cancellationToken)
    {
        var scenario = ScenarioReader.Read(name, _options.ScenariosDirectory);
        await _scenarioGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Faults.Clear();
            await _loader!.LoadAsync(scenario, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _scenarioGate.Release();
        }
    }

    private void MapControlApi(WebApplication app)
    {
        app.MapGet("/_sandbox/state", async (CancellationToken token) => Results.Text((await World.DescribeStateAsync(token).ConfigureAwait(false)).ToJsonString(), "application/json"));
        app.MapGet("/_sandbox/scenarios", () => Results.Json(ScenarioReader.List(_options.ScenariosDirectory), ControlJson));
        app.MapPost("/_sandbox/scenario/{name}", async (string name, CancellationToken token) =>
        {
            try
            {
                await LoadScenarioAsync(name, token).ConfigureAwait(false);
                return Results.Text((await World.DescribeStateAsync(token).ConfigureAwait(false)).ToJsonString(), "application/json");
            }
            catch (ScenarioException ex)
            {
                return Problem(ex.Message);
            }
            catch (MotoException ex)
            {
                return Problem(ex.Message, StatusCodes.Status502BadGateway);
            }
            catch (HttpRequestException ex)
            {
                return Problem(await _moto!.DescribeNoAnswerAsync(ex).ConfigureAwait(false), StatusCodes.Status502BadGateway);
            }
        });
        app.MapGet("/_sandbox/faults", () => Results.Json(new { settings = Faults.Settings, injected = Faults.History }, ControlJson));
        app.MapDelete("/_sandbox/faults", () =>
        {
            Faults.Clear();
            return Results.Json(Faults.Settings, ControlJson);
        });
        app.MapPost("/_sandbox/faults", async (HttpRequest request) =>
        {
            FaultSettings? settings;
            try
            {
                settings = await JsonSerializer.DeserializeAsync<FaultSettings>(request.Body, ControlJson, request.HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Problem($"The fault settings are not valid JSON ({ex.Message}). Expected {{\"seed\": 42, \"rules\": [{{\"service\": \"ecs\", \"operation\": \"*\", \"kind\": \"throttle\", \"rate\": 0.3}}]}}.");
            }

            var problems = settings?.Validate() ?? ["The body is empty; expected fault settings."];
            if (problems.Count > 0)
            {
                return Problem(string.Join(" ", problems));
            }

            Faults.Configure(settings!);
            return Results.Json(Faults.Settings, ControlJson);
        });
        app.MapPost("/_sandbox/clock", async (HttpRequest request) =>
        {
            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonObject;
            }
            catch (JsonException ex)
            {
                return Problem($"The clock settings are not valid JSON ({ex.Message}). Expected {{\"speed\": 1}} or {{\"advanceSeconds\": 60}}.");
            }

            try
            {
                if (body?["speed"] is JsonValue speed)
                {
                    World.Clock.SetSpeed(speed.GetValue<double>());
                }

                if (body?["advanceSeconds"] is JsonValue advance)
                {
                    World.Clock.Advance(advance.GetValue<double>());
                }
            }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or FormatException or InvalidOperationException)
            {
                return Problem(ex.Message);
            }

            return Results.Json(new { speed = World.Clock.Speed, worldSeconds = World.Clock.Now }, ControlJson);
        });
    }

    /// <summary>Maps the simulators' own control-API entries (<see cref="ControlRoute"/>) under <c>/_sandbox/</c>.</summary>
    private void MapSimulatorControl(WebApplication app)
    {
        foreach (var route in World.ControlRoutes)
        {
            app.MapMethods("/_sandbox/" + route.Path, [route.Method], async (HttpRequest request) =>
            {
                JsonNode? body;
                try
                {
                    var text = await new StreamReader(request.Body).ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
                    body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
                }
                catch (JsonException ex)
                {
                    return Problem($"The body is not valid JSON ({ex.Message}).");
                }

                var answer = await route.Handle(body, request.HttpContext.RequestAborted).ConfigureAwait(false);
                return Results.Text(answer.Body.ToJsonString(), "application/json", statusCode: answer.Status);
            });
        }
    }

    private static IResult Problem(string message, int status = StatusCodes.Status400BadRequest) => Results.Json(new { error = message }, ControlJson, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (_app is not null)
            {
                await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await _app.DisposeAsync().ConfigureAwait(false);
            }

            if (_world is not null)
            {
                await _world.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever failed above, the moto this sandbox started does not outlive it.
            _moto?.Dispose();
            if (_ownMoto is not null)
            {
                await _ownMoto.DisposeAsync().ConfigureAwait(false);
            }

            _scenarioGate.Dispose();
        }
    }
}
