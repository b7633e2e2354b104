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
        var check = Classify(new DatabaseConnectivityFacts { Identifier = "db", Database = Fact<RdsDatabase>.Of(RdsDatabase.Of(Available with { Status = status })) }, "Cluster status");

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
        var facts = new DatabaseConnectivityFacts { Identifier = "db", Database = Fact<RdsDatabase>.Unread(new Gap("RDS cluster db", "Throttling after 3 attempts")) };

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
            Identifier = "db",
            Database = Fact<RdsDatabase>.Of(RdsDatabase.Of(Available)),
            Load = Fact<DatabaseLoadSeries>.Of(new DatabaseLoadSeries("db", Series(capacity), Series(cpu), Series(connections))),
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
            Identifier = "db",
            Database = Fact<RdsDatabase>.Of(RdsDatabase.Of(Available with { Status = "stopped" })),
            Load = Fact<DatabaseLoadSeries>.Of(new DatabaseLoadSeries("db", empty, empty, empty)),
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
        var check = Classify(new DatabaseConnectivityFacts { Identifier = "db", Database = Fact<RdsDatabase>.Of(RdsDatabase.Of(Available)), Probe = probe }, "TCP probe");

        Assert.Equal(outcome, check.Outcome);
        Assert.Contains($"TCP to db:5432: {result}", Assert.Single(check.Evidence), StringComparison.Ordinal);
    }

    private static readonly RdsDbInstance Instance = new()
    {
        Identifier = "pg",
        Status = "available",
        Engine = "postgres",
        InstanceClass = "db.t3.micro",
        EndpointAddress = "pg.abc.us-east-1.rds.amazonaws.com",
        Port = 5432,
    };

    private static DatabaseConnectivityFacts InstanceFacts(RdsDbInstance instance, params DatabaseReader[] replicas) => new()
    {
        Kind = DatabaseKind.Instance,
        Identifier = instance.Identifier,
        Database = Fact<RdsDatabase>.Of(RdsDatabase.Of(instance, replicas)),
    };

    [Theory]
    [InlineData("stopped", "Fail", "Start-DatabaseInstance -DatabaseInstance pg -Wait (aws rds start-db-instance --db-instance-identifier pg)")]
    [InlineData("starting", "Fail", "Wait until it is available: Start-DatabaseInstance -DatabaseInstance pg -Wait")]
    [InlineData("storage-full", "Fail", "aws rds modify-db-instance --db-instance-identifier pg --allocated-storage")]
    [InlineData("incompatible-network", "Fail", "fix the network setting")]
    [InlineData("failed", "Fail", "aws rds describe-events --source-type db-instance --source-identifier pg")]
    [InlineData("available", "Pass", null)]
    public void The_instance_status_check_follows_RDS_status_with_the_instance_fix(string status, string outcome, string? fix)
    {
        var checks = DatabaseConnectivityClassifier.Classify(InstanceFacts(Instance with { Status = status }));
        var check = checks.Single(c => c.Name == "Instance status");

        Assert.DoesNotContain(checks, c => c.Name == "Cluster status");
        Assert.Equal(outcome, check.Outcome);
        Assert.Contains($"RDS instance pg (postgres) is {status}", check.Evidence[0], StringComparison.Ordinal);
        if (fix is null)
        {
            Assert.Null(check.Fix);
        }
        else
        {
            Assert.Contains(fix, check.Fix, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("pg.abc.us-east-1.rds.amazonaws.com", "Pass", "the instance endpoint of pg")]
    [InlineData("pg-replica.abc.us-east-1.rds.amazonaws.com", "Fail", "the read replica pg-replica of pg (read-only; writes fail), not its instance endpoint pg.abc.us-east-1.rds.amazonaws.com")]
    [InlineData("other.example", "Fail", "no endpoint of pg (instance endpoint pg.abc.us-east-1.rds.amazonaws.com, read replica pg-replica pg-replica.abc.us-east-1.rds.amazonaws.com)")]
    public void An_application_that_uses_a_read_replica_of_the_instance_is_told_so(string host, string outcome, string evidence)
    {
        var facts = InstanceFacts(Instance with { ReadReplicas = new[] { "pg-replica" } }, new DatabaseReader("read replica pg-replica", "pg-replica.abc.us-east-1.rds.amazonaws.com"));
        facts = new DatabaseConnectivityFacts
        {
            Kind = facts.Kind,
            Identifier = facts.Identifier,
            Database = facts.Database,
            Application = new Networking.NetworkPathFacts
            {
                Cluster = "ecs",
                Service = new Aws.Ecs.EcsService { Name = "app" },
                TaskDefinition = Fact<Aws.Ecs.EcsTaskDefinition>.Of(new Aws.Ecs.EcsTaskDefinition { Family = "app", Revision = 3 }),
            },
            Setting = new ApplicationDatabaseSetting("DATABASE_URL", "backend", null, Fact<DatabaseAddress?>.Of(new DatabaseAddress(host, 5432))),
        };

        var check = Classify(facts, "Application endpoint");

        Assert.Equal(outcome, check.Outcome);
        Assert.Contains(evidence, Assert.Single(check.Evidence), StringComparison.Ordinal);
        if (outcome == "Fail")
        {
            Assert.Contains("a URL with host pg.abc.us-east-1.rds.amazonaws.com and port 5432", check.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_replica_whose_endpoint_could_not_be_read_leaves_an_unknown_host_unknown_never_a_failure_it_cannot_prove()
    {
        var facts = InstanceFacts(Instance, new DatabaseReader("read replica pg-replica", null));
        facts = new DatabaseConnectivityFacts
        {
            Kind = facts.Kind,
            Identifier = facts.Identifier,
            Database = facts.Database,
            Application = new Networking.NetworkPathFacts { Service = new Aws.Ecs.EcsService { Name = "app" }, TaskDefinition = Fact<Aws.Ecs.EcsTaskDefinition>.Of(new Aws.Ecs.EcsTaskDefinition { Family = "app", Revision = 3 }) },
            Setting = new ApplicationDatabaseSetting("DATABASE_URL", "backend", null, Fact<DatabaseAddress?>.Of(new DatabaseAddress("somewhere.example", 5432))),
        };

        Assert.Equal("Unknown", Classify(facts, "Application endpoint").Outcome);
    }

    [Theory]
    [InlineData("postgres", "db.t3.micro", 112)]
    [InlineData("postgres", "db.r6g.large", 1802)]
    [InlineData("postgres", "db.r6g.16xlarge", 5000)]
    [InlineData("mysql", "db.m5.large", 682)]
    [InlineData("mariadb", "db.t4g.medium", 341)]
    [InlineData("mysql", "db.m6i.2xlarge", 2730)]
    [InlineData("sqlserver-ex", "db.t3.micro", null)]
    [InlineData("oracle-ee", "db.r5.large", null)]
    [InlineData("postgres", "db.x2g.large", null)]
    [InlineData("postgres", "db.serverless", null)]
    public void An_instance_connection_limit_is_its_engine_default_over_its_class_memory_or_unknown(string engine, string instanceClass, int? limit)
    {
        var (found, basis) = DatabaseConnectionLimit.Of(RdsDatabase.Of(Instance with { Engine = engine, InstanceClass = instanceClass }, Array.Empty<DatabaseReader>()));

        Assert.Equal(limit, found);
        Assert.Contains(limit is null ? "not known to DeployOps" : instanceClass, basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres", 105, 20, "Fail")]
    [InlineData("postgres", 40, 20, "Pass")]
    [InlineData("sqlserver-ex", 400, 20, "Pass")]
    [InlineData("sqlserver-ex", 10, 97, "Fail")]
    public void The_load_check_of_an_instance_holds_connections_against_its_default_limit_and_never_invents_one(string engine, double connections, double cpu, string outcome)
    {
        var empty = new MetricSeries(null, null, Array.Empty<MetricSample>());
        var facts = InstanceFacts(Instance with { Engine = engine });
        facts = new DatabaseConnectivityFacts
        {
            Kind = facts.Kind,
            Identifier = facts.Identifier,
            Database = facts.Database,
            Load = Fact<DatabaseLoadSeries>.Of(new DatabaseLoadSeries("pg", empty, Series(cpu), Series(connections))),
        };

        var check = Classify(facts, "Load");
        var load = DatabaseConnectivityClassifier.LoadOf(facts)!;

        Assert.Equal(outcome, check.Outcome);
        Assert.Null(load.MaxCapacity);
        if (engine == "postgres")
        {
            Assert.Equal(112, load.ConnectionLimit);
        }
        else
        {
            Assert.Null(load.ConnectionLimit);
            Assert.Contains(check.Evidence, e => e.StartsWith("The connection limit is unknown: the default max_connections of engine sqlserver-ex", StringComparison.Ordinal));
        }

        if (outcome == "Fail")
        {
            Assert.Contains("aws rds modify-db-instance --db-instance-identifier pg --db-instance-class", check.Fix, StringComparison.Ordinal);
        }
    }

    private static DiagnosticCheck Classify(DatabaseConnectivityFacts facts, string name) => DatabaseConnectivityClassifier.Classify(facts).Single(c => c.Name == name);

    private static MetricSeries Series(double value) =>
        new(value, value, new List<MetricSample> { new() { Timestamp = DateTimeOffset.UtcNow, Average = value, Maximum = value } });
}
