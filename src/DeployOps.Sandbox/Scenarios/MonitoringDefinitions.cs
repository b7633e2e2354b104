using System.Collections.Generic;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>A rate-based rule: block a client above <paramref name="Limit"/> requests per <paramref name="WindowSeconds"/>.</summary>
/// <param name="ForwardedIpHeader">Count by the address in this header (X-Forwarded-For) instead of the connection's.</param>
public sealed record RateRuleDefinition(string Name, int Priority, long Limit, int WindowSeconds, string? ForwardedIpHeader);

/// <summary>A web ACL (default action Allow) with rate-based rules, associated with load balancers by name.</summary>
public sealed record WebAclDefinition(string Name, IReadOnlyList<string> LoadBalancers, IReadOnlyList<RateRuleDefinition> Rules);

/// <summary>A subscription; one left pending confirmation gets nothing until it is confirmed.</summary>
public sealed record SnsSubscriptionDefinition(string Protocol, string Endpoint, bool PendingConfirmation);

/// <summary>An SNS topic and its subscriptions.</summary>
public sealed record SnsTopicDefinition(string Name, IReadOnlyList<SnsSubscriptionDefinition> Subscriptions);

/// <summary>A metric alarm: what it watches, its actions (SNS topics of the scenario), its state and its past.</summary>
public sealed record AlarmDefinition
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required string MetricName { get; init; }

    /// <summary>Dimension names and values, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Dimensions { get; init; } = [];

    public string Statistic { get; init; } = "Average";

    public string ComparisonOperator { get; init; } = "GreaterThanThreshold";

    public double Threshold { get; init; }

    public int PeriodSeconds { get; init; } = 300;

    public int EvaluationPeriods { get; init; } = 1;

    /// <summary>The topics (names in <see cref="ScenarioDefinition.SnsTopics"/>) its alarm actions notify.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    public bool ActionsEnabled { get; init; } = true;

    /// <summary>OK, ALARM or INSUFFICIENT_DATA now.</summary>
    public string State { get; init; } = "OK";

    /// <summary>How many times it went to ALARM (and back) in the <see cref="FlapMinutes"/> before the scenario loaded.</summary>
    public int Flaps { get; init; }

    public double FlapMinutes { get; init; } = 60;
}
