using System;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Estimates;

/// <summary>How long a resource's action usually takes: typical, the range seen, and what that rests on.</summary>
public sealed record UsualDuration(TimeSpan Typical, TimeSpan Low, TimeSpan High, int Samples)
{
    /// <summary>"history (8 samples)" or "DeployOps default (no history)".</summary>
    public string Source => Samples == 0 ? "DeployOps default (no history)" : $"history ({Samples} sample{(Samples == 1 ? "" : "s")})";

    public override string ToString() => $"{Minutes(Typical)} min ({Minutes(Low)}-{Minutes(High)}, {Source})";

    internal static string Minutes(TimeSpan span) => span.TotalMinutes.ToString(span.TotalMinutes < 10 ? "0.#" : "0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The usual duration of each resource type's action (CREATE, UPDATE, DELETE), from the deployment history when it has
/// samples, else from DeployOps' defaults (AWS's typical times: an RDS instance about 15 minutes to create).
/// </summary>
public sealed class ResourceDurations
{
    // Typical minutes per type: create, update, delete. Anything else: half a minute.
    private static readonly Dictionary<string, (double Create, double Update, double Delete)> Defaults = new(StringComparer.Ordinal)
    {
        ["AWS::RDS::DBInstance"] = (15, 10, 5),
        ["AWS::RDS::DBCluster"] = (12, 8, 5),
        ["AWS::RDS::DBSubnetGroup"] = (0.1, 0.1, 0.05),
        ["AWS::ECS::Service"] = (5, 5, 2),
        ["AWS::ECS::TaskDefinition"] = (0.05, 0.05, 0.05),
        ["AWS::ECS::Cluster"] = (0.1, 0.05, 0.1),
        ["AWS::EC2::SecurityGroup"] = (0.1, 0.1, 0.05),
        ["AWS::Logs::LogGroup"] = (0.05, 0.05, 0.05),
        ["AWS::S3::Bucket"] = (0.4, 0.1, 0.05),
        ["AWS::SNS::Topic"] = (0.2, 0.1, 0.05),
        ["AWS::IAM::Role"] = (0.3, 0.15, 0.1),
        ["AWS::Lambda::Function"] = (0.2, 0.1, 0.1),
        ["AWS::CloudFormation::Stack"] = (5, 5, 3),
        ["AWS::CloudFormation::CustomResource"] = (1, 1, 0.5),
    };

    private readonly Dictionary<(string Action, string Type), List<double>> _samples;

    public ResourceDurations(IEnumerable<HistoryDeployment> deployments)
    {
        _samples = deployments.SelectMany(d => d.Resources)
            .GroupBy(r => (r.Action, r.ResourceType))
            .ToDictionary(g => g.Key, g => g.Select(r => r.DurationMinutes).OrderBy(m => m).ToList());
    }

    /// <summary>The usual duration of <paramref name="action"/> (CREATE, UPDATE, DELETE) on a resource of <paramref name="type"/>.</summary>
    public UsualDuration Usual(string type, string action)
    {
        if (_samples.TryGetValue((action, type), out var minutes) && minutes.Count > 0)
        {
            var typical = Median(minutes);
            return minutes.Count == 1
                ? new UsualDuration(FromMinutes(typical), FromMinutes(typical * 0.75), FromMinutes(typical * 1.5), 1)
                : new UsualDuration(FromMinutes(typical), FromMinutes(minutes[0]), FromMinutes(minutes[minutes.Count - 1]), minutes.Count);
        }

        var usual = DefaultMinutes(type, action);
        return new UsualDuration(FromMinutes(usual), FromMinutes(usual * 0.5), FromMinutes(usual * 2), 0);
    }

    internal static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static double DefaultMinutes(string type, string action)
    {
        var key = type.StartsWith("Custom::", StringComparison.Ordinal) ? "AWS::CloudFormation::CustomResource" : type;
        var (create, update, delete) = Defaults.TryGetValue(key, out var known) ? known : (0.5, 0.3, 0.2);
        return action switch
        {
            "UPDATE" => update,
            "DELETE" => delete,
            _ => create,
        };
    }

    private static TimeSpan FromMinutes(double minutes) => TimeSpan.FromSeconds(Math.Round(minutes * 60, 1));
}
