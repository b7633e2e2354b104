using System;
using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Rds;
using DeployOps.Databases;
using DeployOps.Facts;
using DeployOps.Operations;
using Xunit;

namespace DeployOps.Engine.Tests.Databases;

/// <summary>The pure parts of Test-DatabaseConnectivity: reading a database URL's host and port, and the checks from facts.</summary>
public sealed class DatabaseClassifierTests
{
    private static readonly RdsDbCluster Available = new()
    {
        Identifier = "db",
        Status = "available",
        Engine = "aurora-postgresql",
        Endpoint = "db.cluster-abc.us-east-1.rds.amazonaws.com",
        ReaderEndpoint = "db.cluster-ro-abc.us-east-1.rds.amazonaws.com",
        Port = 5432,
        MinCapacity = 0.5,
        MaxCapacity = 1,
    };

    [Theory]
    [InlineData("postgres://app:p%40ss@db.cluster-abc.us-east-1.rds.amazonaws.com:5432/app?sslmode=require", "db.cluster-abc.us-east-1.rds.amazonaws.com", 5432)]
    [InlineData("postgresql://db.example:6543", "db.example", 6543)]
    [InlineData("mysql://user@[fd00::1]:3306/x", "fd00::1", 3306)]
    [InlineData("Host=db.example;Port=5433;Username=app;Password=secret", "db.example", 5433)]
    [InlineData("Server=db.example,1433;Password=x", "db.example", 1433)]
    [InlineData("{\"username\":\"app\",\"password\":\"x\",\"host\":\"db.example\",\"port\":5432}", "db.example", 5432)]
    [InlineData("{\"host\":\"db.example\",\"port\":\"5439\"}", "db.example", 5439)]
    [InlineData("{\"url\":\"postgres://a:b@db.example:5432/x\"}", "db.example", 5432)]
    [InlineData("postgres://db.example/app", "db.example", null)]
    public void A_database_setting_gives_its_host_and_port_only(string value, string host, int? port)
    {
        var address = DatabaseAddress.Parse(value)!;

        Assert.Equal(new DatabaseAddress(host, port), address);
        Assert.DoesNotContain("secret", address.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("not a url")]
    [InlineData("{\"password\":\"x\"}")]
    [InlineData("[1,2]")]
    [InlineData("{broken")]
    public void A_value_that_is_no_database_setting_gives_nothing(string? value) => Assert.Null(DatabaseAddress.Parse(value));

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf", null)]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:url::", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "url")]
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter/db-url", null, null)]
    [InlineData("db-url", null, null)]
    public void An_ECS_secret_reference_names_its_secret_and_json_key(string valueFrom, string? secret, string? key) =>
        Assert.Equal((secret, key), DatabaseConnectivityInspector.SecretReference(valueFrom));

    [Theory]
    [InlineData("stopped", "Fail", "Start-DatabaseCluster -DatabaseCluster db -Wait")]
    [InlineData("starting", "Fail", "Wait until it is available")]
    [InlineData("inaccessible-encryption-credentials", "Fail", "aws rds describe-events")]
    [InlineData("available", "Pass", null)]
    public void The_cluster_status_check_follows_RDS_status(string status, string outcome, string? fix)
    {
        var check = Classify(new DatabaseConnectivityFacts { DatabaseCluster = "db", Cluster = Fact<RdsDbCluster>.Of(Available with { Status = status }) }, "Cluster status");

        Assert.Equal(outcome, check.Outcome);
        if (fix is null)
        {
            Assert.Null(check.Fix);
        }
        else
        {
            Assert.Contains(fix, check.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cluster_that_could_not_be_read_makes_the_checks_unknown_never_a_pass()
    {
        var facts = new DatabaseConnectivityFacts { DatabaseCluster = "db", Cluster = Fact<RdsDbCluster>.Unread(new Gap("RDS cluster db", "Throttling after 3 attempts")) };

        var checks = DatabaseConnectivityClassifier.Classify(facts);

        Assert.Equal("Unknown", checks.Single(c => c.Name == "Cluster status").Outcome);
        Assert.Equal(Networking.HopOutcome.Unknown, DiagnosticCheck.Verdict(checks));
    }

    [Theory]
    [InlineData(14, 20, 1, "Pass")]
    [InlineData(85, 20, 1, "Fail")]
    [InlineData(20, 95, 1, "Fail")]
    public void The_load_check_holds_connections_against_90_per_ACU_and_CPU_against_90_percent(double connections, double cpu, double capacity, string outcome)
    {
        var facts = new DatabaseConnectivityFacts
        {
            DatabaseCluster = "db",
            Cluster = Fact<RdsDbCluster>.Of(Available),
            Load = Fact<DatabaseClusterLoad>.Of(new DatabaseClusterLoad("db", Series(capacity), Series(cpu), Series(connections))),
        };

        var check = Classify(facts, "Load");

        Assert.Equal(outcome, check.Outcome);
        Assert.Equal(90, DatabaseConnectivityClassifier.LoadOf(facts)!.ConnectionLimit);
        if (outcome == "Fail")
        {
            Assert.Contains("MaxCapacity=2", check.Fix, StringComparison.Ordinal);
            Assert.Contains(check.Evidence, e => e.Contains("Capacity is at its maximum of 1 ACU", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_window_without_datapoints_skips_the_load_check_and_reports_no_figures()
    {
        var empty = new MetricSeries(null, null, Array.Empty<MetricSample>());
        var facts = new DatabaseConnectivityFacts
        {
            DatabaseCluster = "db",
            Cluster = Fact<RdsDbCluster>.Of(Available with { Status = "stopped" }),
            Load = Fact<DatabaseClusterLoad>.Of(new DatabaseClusterLoad("db", empty, empty, empty)),
        };

        Assert.Equal("Skipped", Classify(facts, "Load").Outcome);
        Assert.Null(DatabaseConnectivityClassifier.LoadOf(facts));
    }

    [Theory]
    [InlineData("Connected", "Pass")]
    [InlineData("Refused", "Fail")]
    [InlineData("TimedOut", "Fail")]
    [InlineData("NameNotResolved", "Fail")]
    public void The_probe_check_follows_the_connection(string result, string outcome)
    {
        var probe = new DatabaseProbeResult { Endpoint = "db:5432", OutcomeKind = Enum.Parse<DatabaseProbeOutcome>(result), Milliseconds = 3 };
        var check = Classify(new DatabaseConnectivityFacts { DatabaseCluster = "db", Cluster = Fact<RdsDbCluster>.Of(Available), Probe = probe }, "TCP probe");

        Assert.Equal(outcome, check.Outcome);
        Assert.Contains($"TCP to db:5432: {result}", Assert.Single(check.Evidence), StringComparison.Ordinal);
    }

    private static DiagnosticCheck Classify(DatabaseConnectivityFacts facts, string name) => DatabaseConnectivityClassifier.Classify(facts).Single(c => c.Name == name);

    private static MetricSeries Series(double value) =>
        new(value, value, new List<MetricSample> { new() { Timestamp = DateTimeOffset.UtcNow, Average = value, Maximum = value } });
}
