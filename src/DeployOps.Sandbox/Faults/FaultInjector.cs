using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;

namespace DeployOps.Sandbox.Faults;

/// <summary>The kinds of trouble the sandbox can inject into AWS answers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>The protocol's real throttling error (ECS ThrottlingException, ELBv2 Throttling, EC2 RequestLimitExceeded).</summary>
    Throttle,

    /// <summary>A 5xx answer in the protocol's error shape.</summary>
    Error,

    /// <summary>Added latency before the request is handled.</summary>
    Latency,

    /// <summary>The connection is dropped without an answer.</summary>
    Drop,

    /// <summary>The request is applied (by a simulator or moto), then the client gets a 5xx in the protocol's error shape: the answer was lost.</summary>
    AppliedThenError,

    /// <summary>The request is applied (by a simulator or moto), then the connection is dropped without an answer.</summary>
    AppliedThenDrop,
}

public static class FaultKinds
{
    /// <summary>True for the kinds that strike after the request was applied, false for those that strike instead of it.</summary>
    public static bool StrikesAfterApplying(this FaultKind kind) => kind is FaultKind.AppliedThenError or FaultKind.AppliedThenDrop;
}

/// <summary>One rule: for requests to <see cref="Service"/>/<see cref="Operation"/>, inject <see cref="Kind"/> at <see cref="Rate"/>.</summary>
public sealed record FaultRule
{
    /// <summary>A signing name (ecs, elasticloadbalancing, ec2, logs, ...), an alias (elbv2) or <c>*</c>.</summary>
    public string Service { get; init; } = "*";

    /// <summary>An operation name (DescribeServices) or <c>*</c>.</summary>
    public string Operation { get; init; } = "*";

    public FaultKind Kind { get; init; }

    /// <summary>The share of matching requests affected, 0 to 1.</summary>
    public double Rate { get; init; }

    /// <summary>For <see cref="FaultKind.Latency"/>: milliseconds added.</summary>
    public int LatencyMs { get; init; }

    /// <summary>For <see cref="FaultKind.Error"/> and <see cref="FaultKind.AppliedThenError"/>: the status (500 or 503); 500 by default.</summary>
    public int Status { get; init; } = 500;
}

/// <summary>The fault configuration posted to <c>/_sandbox/faults</c>.</summary>
public sealed record FaultSettings
{
    public int Seed { get; init; }

    public IReadOnlyList<FaultRule> Rules { get; init; } = [];

    /// <summary>Checks the settings; returns the problems found, each naming the bad value and what was expected.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule.Rate is < 0 or > 1 || double.IsNaN(rule.Rate))
            {
                problems.Add($"rules[{i}].rate is {rule.Rate}; expected a number from 0 to 1.");
            }

            var service = Front.AwsServiceProtocol.Canonical(rule.Service);
            if (service != "*" && Front.AwsServiceProtocol.Find(service) is null)
            {
                problems.Add($"rules[{i}].service is '{rule.Service}'; expected * or one of {string.Join(", ", Front.AwsServiceProtocol.KnownSigningNames)}.");
            }

            if (rule.Kind == FaultKind.Latency && rule.LatencyMs <= 0)
            {
                problems.Add($"rules[{i}].latencyMs is {rule.LatencyMs}; expected a positive number of milliseconds for a latency rule.");
            }

            if (rule.Kind is FaultKind.Error or FaultKind.AppliedThenError && rule.Status is < 500 or > 599)
            {
                problems.Add($"rules[{i}].status is {rule.Status}; expected a 5xx status for an error rule.");
            }
        }

        return problems;
    }
}

/// <summary>A decision for one request: what to inject, if anything.</summary>
public sealed record FaultDecision(FaultKind Kind, FaultRule Rule, long Sequence);

/// <summary>
/// Decides, reproducibly, which requests get which faults. Each rule draws from its own random
/// stream seeded from the settings' seed and the rule's position, so the same seed and the same
/// order of matching requests give the same sequence of faults.
/// </summary>
public sealed class FaultInjector
{
    private const int HistoryLimit = 1000;
    private readonly object _gate = new();
    private readonly Queue<FaultRecord> _history = new();
    private FaultSettings _settings = new();
    private Random[] _streams = [];
    private long _sequence;

    public FaultSettings Settings
    {
        get
        {
            lock (_gate)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the settings and restarts every random stream from the seed.</summary>
    public void Configure(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings with { Rules = settings.Rules.Select(r => r with { Service = Front.AwsServiceProtocol.Canonical(r.Service) }).ToList() };
            // Not HashCode.Combine: it is randomized per process, and a seed must give the same faults in every run.
            _streams = _settings.Rules.Select((_, i) => new Random(unchecked((settings.Seed * 397) ^ (i + 1)))).ToArray();
            _sequence = 0;
            _history.Clear();
        }
    }

    public void Clear() => Configure(new FaultSettings());

    /// <summary>The faults injected since the last configuration, in the order they struck (at most the last 1000).</summary>
    public IReadOnlyList<FaultRecord> History
    {
        get
        {
            lock (_gate)
            {
                return _history.ToList();
            }
        }
    }

    /// <summary>
    /// Draws for one request. Every matching rule draws, so later requests see the same stream position. A fault that
    /// strikes instead of the request is recorded now; one that strikes after it is recorded by <see cref="RecordAfterApplying"/>.
    /// </summary>
    public IReadOnlyList<FaultDecision> Decide(string service, string operation)
    {
        lock (_gate)
        {
            if (_settings.Rules.Count == 0)
            {
                return [];
            }

            var sequence = ++_sequence;
            List<FaultDecision>? decisions = null;
            for (var i = 0; i < _settings.Rules.Count; i++)
            {
                var rule = _settings.Rules[i];
                if (!Matches(rule.Service, service) || !Matches(rule.Operation, operation))
                {
                    continue;
                }

                if (_streams[i].NextDouble() < rule.Rate)
                {
                    (decisions ??= []).Add(new FaultDecision(rule.Kind, rule, sequence));
                    if (!rule.Kind.StrikesAfterApplying())
                    {
                        Record(new FaultRecord(sequence, service, operation, rule.Kind, Applied: false));
                    }
                }
            }

            return decisions ?? (IReadOnlyList<FaultDecision>)[];
        }
    }

    /// <summary>Records a fault that struck after its request was handled; <paramref name="applied"/> says whether the request took effect.</summary>
    public void RecordAfterApplying(FaultDecision decision, string service, string operation, bool applied)
    {
        lock (_gate)
        {
            Record(new FaultRecord(decision.Sequence, service, operation, decision.Kind, applied));
        }
    }

    private void Record(FaultRecord record)
    {
        _history.Enqueue(record);
        if (_history.Count > HistoryLimit)
        {
            _history.Dequeue();
        }
    }

    private static bool Matches(string pattern, string value) =>
        pattern == "*" || string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One injected fault: the request's sequence number among requests seen while rules were set, and whether the request
/// was applied (true only for the kinds that strike after applying, when the request succeeded before its answer was lost).
/// </summary>
public sealed record FaultRecord(long Sequence, string Service, string Operation, FaultKind Kind, bool Applied);
