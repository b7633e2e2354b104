using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DeployOps.Databases;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Databases;

/// <summary>
/// Test-DatabaseConnectivity's and Start-DatabaseCluster's engine against the sandbox's Aurora clusters (runbook 004
/// "Cannot connect to Aurora"): each scenario fails the check the world really breaks, with its evidence and fix; the
/// start brings db-stopped back to a passing report; a secret's value never leaves the engine.
/// </summary>
public sealed class DatabaseConnectivityTests : IClassFixture<SandboxFixture>
{
    private static readonly DatabaseConnectivityRequest Backend = new()
    {
        DatabaseCluster = Lightwave.Aurora.Cluster,
        Cluster = Lightwave.Cluster,
        Service = Lightwave.Service,
        Probe = true,
        ProbeTimeout = TimeSpan.FromSeconds(3),
    };

    private readonly SandboxFixture _sandbox;

    public DatabaseConnectivityTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private static DiagnosticCheck Check(DatabaseConnectivityReport report, string name) => report.Checks.Single(c => c.Name == name);

    private async Task<(DatabaseConnectivityReport Report, Aws.AwsCallCounter Calls, RecordingObserver Observer)> InspectAsync(string scenario, DatabaseConnectivityRequest? request = null)
    {
        await _sandbox.LoadScenarioAsync(scenario);
        using var session = SandboxSessions.Create(_sandbox);
        var observer = new RecordingObserver();
        var report = await new DatabaseConnectivityInspector(new AwsFacts(session, observer)).InspectAsync(request ?? Backend, default);
        return (report, session.Calls, observer);
    }

    /// <summary>The cluster reports metrics once a world minute passes available: read them only then.</summary>
    private async Task<DatabaseConnectivityReport> InspectWithMetricsAsync(DatabaseConnectivityRequest request)
    {
        using var session = SandboxSessions.Create(_sandbox);
        var inspector = new DatabaseConnectivityInspector(new AwsFacts(session, NullOperationObserver.Instance));
        return await Eventually.WaitForAsync(async () =>
        {
            var report = await inspector.InspectAsync(request, default);
            return report.Load is null ? null : report;
        }, "the cluster's AWS/RDS metrics");
    }

    [Fact]
    public async Task Db_healthy_passes_every_check_with_the_writer_endpoint_the_rule_the_figures_and_the_probe_and_only_reads()
    {
        var (_, calls, _) = await InspectAsync(Lightwave.Aurora.Healthy);
        var report = await InspectWithMetricsAsync(Backend);

        Assert.Equal("Pass", report.Status);
        Assert.True(report.Complete);
        Assert.Null(report.FailingCheck);
        Assert.Equal("available", report.ClusterStatus);
        Assert.Equal($"{report.Endpoint}:{Lightwave.Aurora.Port}", report.ApplicationEndpoint);
        Assert.Equal($"environment {Lightwave.Aurora.Variable} of container backend", report.EndpointSource);
        Assert.All(report.Checks, c => Assert.Equal("Pass", c.Outcome));
        Assert.Equal((Lightwave.Aurora.MaxCapacity, Lightwave.Aurora.ConnectionLimit), (report.Load!.MaxCapacity, report.Load.ConnectionLimit));
        Assert.Equal(14, report.Load.ConnectionsMaximum);
        Assert.Equal("Connected", report.Probe!.Result);
        Assert.All(calls.Snapshot(), c => Assert.Matches("^(Describe|List|Get)", c.Operation));
    }

    [Fact]
    public async Task Db_unreachable_fails_the_database_hop_with_the_missing_rule_and_the_probe_is_refused()
    {
        var (report, _, _) = await InspectAsync(Lightwave.Aurora.Unreachable);

        Assert.Equal("Fail", report.Status);
        Assert.Equal("Task to database", report.FailingCheck);
        var hop = Check(report, "Task to database");
        Assert.Contains(hop.Evidence, e => e.Contains(Lightwave.Network.DatabaseSecurityGroup, StringComparison.Ordinal) && e.Contains("5432", StringComparison.Ordinal));
        Assert.Contains("aws ec2 authorize-security-group-ingress", hop.Fix, StringComparison.Ordinal);
        Assert.Contains($"Repair-EcsNetworkPath -Cluster {Lightwave.Cluster} -Service {Lightwave.Service} -DatabaseSecurityGroupId sg-", hop.Fix, StringComparison.Ordinal);
        Assert.Equal("Pass", Check(report, "Cluster status").Outcome);
        Assert.Equal("Pass", Check(report, "Application endpoint").Outcome);
        Assert.Equal("Refused", report.Probe!.Result);
    }

    [Fact]
    public async Task Db_stopped_fails_the_cluster_status_and_Start_DatabaseCluster_brings_it_back_to_passing()
    {
        var (report, _, _) = await InspectAsync(Lightwave.Aurora.Stopped);

        Assert.Equal("Cluster status", report.FailingCheck);
        Assert.StartsWith($"Start it: Start-DatabaseCluster -DatabaseCluster {Lightwave.Aurora.Cluster} -Wait", Check(report, "Cluster status").Fix, StringComparison.Ordinal);
        Assert.Equal("Refused", report.Probe!.Result);

        var (plan, change) = await StartAndRecheckAsync(DatabaseKind.Cluster, Lightwave.Aurora.Cluster, "StartDBCluster", Backend);

        Assert.Equal($"Aurora cluster {Lightwave.Aurora.Cluster} (stopped)", plan.ShouldProcessTarget);
        Assert.Equal(Lightwave.Aurora.Cluster, Assert.IsType<DatabaseClusterChange>(change).DatabaseCluster);
    }

    /// <summary>
    /// Plans, starts and waits as Start-DatabaseCluster and Start-DatabaseInstance do: one start call, progress while
    /// starting, stopped -> available; then the database's report passes and its probe connects.
    /// </summary>
    private async Task<(DatabaseStartPlan Plan, DatabaseChange Change)> StartAndRecheckAsync(DatabaseKind kind, string identifier, string startOperation, DatabaseConnectivityRequest recheck)
    {
        using var session = SandboxSessions.Create(_sandbox);
        var observer = new RecordingObserver();
        var starter = new DatabaseStarter(new AwsFacts(session, observer));
        var (plan, _) = await starter.PlanAsync(kind, identifier, default);
        Assert.True(plan!.StartNeeded);
        var outcomes = await starter.ApplyAsync(plan, new DatabaseWaitSettings(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)), default);

        var change = Assert.IsAssignableFrom<DatabaseChange>(Assert.Single(outcomes).Value);
        Assert.Equal((identifier, "stopped", "available", true, true), (change.Database, change.PreviousStatus, change.Status, change.Started, change.Waited));
        Assert.Contains(observer.ProgressReports, p => p.Status == "starting");
        Assert.Single(session.Calls.Snapshot(), c => c.Operation == startOperation);
        var after = await InspectWithMetricsAsync(recheck);
        Assert.Equal("Pass", after.Status);
        Assert.Equal("Connected", after.Probe!.Result);
        return (plan, change);
    }

    [Fact]
    public async Task Db_reader_endpoint_names_the_secret_and_the_reader_endpoint_and_never_the_secret_value()
    {
        var (report, _, observer) = await InspectAsync(Lightwave.Aurora.ReaderEndpoint);

        Assert.Equal("Application endpoint", report.FailingCheck);
        Assert.Equal($"{report.ReaderEndpoint}:{Lightwave.Aurora.Port}", report.ApplicationEndpoint);
        Assert.StartsWith($"secret arn:aws:secretsmanager:{Lightwave.Region}:", report.EndpointSource, StringComparison.Ordinal);
        Assert.Contains($":secret:{Lightwave.Aurora.SecretName}", report.EndpointSource, StringComparison.Ordinal);
        var check = Check(report, "Application endpoint");
        Assert.Contains(check.Evidence, e => e.Contains("the reader endpoint of " + Lightwave.Aurora.Cluster, StringComparison.Ordinal));
        Assert.Contains("aws secretsmanager put-secret-value", check.Fix, StringComparison.Ordinal);
        Assert.Contains($"Restart-EcsService -Cluster {Lightwave.Cluster} -Service {Lightwave.Service}", check.Fix, StringComparison.Ordinal);

        var everything = JsonSerializer.Serialize(report) + string.Join("\n", observer.Messages);
        Assert.DoesNotContain(Lightwave.Aurora.SecretPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("lightwave:", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_variable_the_task_definition_does_not_set_fails_the_endpoint_check_naming_it()
    {
        var (report, _, _) = await InspectAsync(Lightwave.Aurora.Healthy, Backend with { Variable = "PG_URL", Probe = false });

        var check = Check(report, "Application endpoint");
        Assert.Equal("Fail", check.Outcome);
        Assert.Contains("sets no PG_URL", Assert.Single(check.Evidence), StringComparison.Ordinal);
        Assert.Equal("Skipped", Check(report, "TCP probe").Outcome);
    }

    [Fact]
    public async Task Without_an_application_the_application_checks_are_skipped_and_an_unknown_cluster_is_DatabaseClusterNotFound()
    {
        var (report, _, _) = await InspectAsync(Lightwave.Aurora.Healthy, new DatabaseConnectivityRequest { DatabaseCluster = Lightwave.Aurora.Cluster });

        Assert.Equal(new[] { "Skipped", "Skipped" }, new[] { Check(report, "Application endpoint").Outcome, Check(report, "Task to database").Outcome });
        Assert.Equal("Pass", Check(report, "Cluster status").Outcome);

        using var session = SandboxSessions.Create(_sandbox);
        var facts = new AwsFacts(session, NullOperationObserver.Instance);
        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => new DatabaseConnectivityInspector(facts).InspectAsync(new DatabaseConnectivityRequest { DatabaseCluster = "nope-db" }, default));
        Assert.Equal((ErrorIds.DatabaseClusterNotFound, DeployOpsErrorKind.NotFound), (missing.Error.ErrorId, missing.Error.Kind));
        var start = await Assert.ThrowsAsync<DeployOpsException>(() => new DatabaseStarter(facts).PlanAsync(DatabaseKind.Cluster, "nope-db", default));
        Assert.Equal(ErrorIds.DatabaseClusterNotFound, start.Error.ErrorId);
        var (plan, cluster) = await new DatabaseStarter(facts).PlanAsync(DatabaseKind.Cluster, Lightwave.Aurora.Cluster, default);
        Assert.Null(plan);
        Assert.Equal("available", cluster.Status);
    }

    private static readonly DatabaseConnectivityRequest InstanceBackend = Backend with { DatabaseCluster = "", DatabaseInstance = Lightwave.DbInstance.Instance };

    // This aws CLI (v1) does not apply AWS_ENDPOINT_URL to rds: name the endpoint on the command line.
    private string[] Rds(params string[] arguments) => ["rds", "--endpoint-url", _sandbox.Url.ToString().TrimEnd('/'), .. arguments];

    [Fact]
    public async Task Db_instance_healthy_passes_every_check_with_the_instance_endpoint_from_the_secret_the_default_connection_limit_and_the_probe()
    {
        var (_, calls, observer) = await InspectAsync(Lightwave.DbInstance.Healthy, InstanceBackend);
        var report = await InspectWithMetricsAsync(InstanceBackend);

        Assert.Equal(("Pass", "Instance", "available"), (report.Status, report.Kind, report.DatabaseStatus));
        Assert.Equal((null, Lightwave.DbInstance.Instance, Lightwave.DbInstance.Instance), (report.DatabaseCluster, report.DatabaseInstance, report.Database));
        Assert.Null(report.ClusterStatus);
        Assert.Null(report.ReaderEndpoint);
        Assert.Equal($"{report.Endpoint}:{Lightwave.DbInstance.Port}", report.ApplicationEndpoint);
        Assert.Contains($":secret:{Lightwave.DbInstance.SecretName}", report.EndpointSource, StringComparison.Ordinal);
        Assert.Equal(new[] { "Instance status", "Application endpoint", "Task to database", "Load", "TCP probe" }, report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.Equal("Pass", c.Outcome));
        Assert.Equal((null, Lightwave.DbInstance.ConnectionLimit, (double?)Lightwave.DbInstance.Connections), (report.Load!.CapacityMaximum, report.Load.ConnectionLimit, report.Load.ConnectionsMaximum));
        Assert.Contains(Lightwave.DbInstance.InstanceClass, report.Load.ConnectionLimitBasis, StringComparison.Ordinal);
        Assert.Equal("Connected", report.Probe!.Result);
        Assert.All(calls.Snapshot(), c => Assert.Matches("^(Describe|List|Get)", c.Operation));
        Assert.Contains(calls.Snapshot(), c => c.Operation == "DescribeDBInstances");
        Assert.DoesNotContain(calls.Snapshot(), c => c.Operation == "DescribeDBClusters");
        Assert.DoesNotContain(Lightwave.DbInstance.SecretPassword, JsonSerializer.Serialize(report) + string.Join("\n", observer.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Db_instance_stopped_fails_the_instance_status_and_Start_DatabaseInstance_brings_it_back_to_passing()
    {
        var (report, _, _) = await InspectAsync(Lightwave.DbInstance.Stopped, InstanceBackend);

        Assert.Equal(("Fail", "Instance status", "stopped"), (report.Status, report.FailingCheck, report.DatabaseStatus));
        var status = Check(report, "Instance status");
        Assert.Contains($"RDS instance {Lightwave.DbInstance.Instance} (postgres) is stopped", status.Evidence[0], StringComparison.Ordinal);
        Assert.StartsWith($"Start it: Start-DatabaseInstance -DatabaseInstance {Lightwave.DbInstance.Instance} -Wait", status.Fix, StringComparison.Ordinal);
        Assert.Contains("Start-DatabaseInstance", report.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("Refused", report.Probe!.Result);
        Assert.Equal("Skipped", Check(report, "Load").Outcome);

        var (plan, change) = await StartAndRecheckAsync(DatabaseKind.Instance, Lightwave.DbInstance.Instance, "StartDBInstance", InstanceBackend);

        Assert.Equal(($"RDS instance {Lightwave.DbInstance.Instance} (stopped)", "Start the instance (StartDBInstance)"), (plan.ShouldProcessTarget, plan.ShouldProcessAction));
        Assert.Equal(Lightwave.DbInstance.Instance, Assert.IsType<DatabaseInstanceChange>(change).DatabaseInstance);
    }

    [Fact]
    public async Task Db_instance_unreachable_fails_the_database_hop_naming_the_instance_and_the_missing_rule()
    {
        var (report, _, _) = await InspectAsync(Lightwave.DbInstance.Unreachable, InstanceBackend);

        Assert.Equal("Task to database", report.FailingCheck);
        var hop = Check(report, "Task to database");
        Assert.Contains(hop.Evidence, e => e.Contains(Lightwave.Network.DatabaseSecurityGroup, StringComparison.Ordinal) && e.Contains("5432", StringComparison.Ordinal));
        Assert.Contains($"Repair-EcsNetworkPath -Cluster {Lightwave.Cluster} -Service {Lightwave.Service} -DatabaseSecurityGroupId sg-", hop.Fix, StringComparison.Ordinal);
        Assert.Equal(("Pass", "Pass"), (Check(report, "Instance status").Outcome, Check(report, "Application endpoint").Outcome));
        Assert.Equal("Refused", report.Probe!.Result);
    }

    [Fact]
    public async Task An_application_pointed_at_a_read_replica_of_the_instance_is_told_it_uses_the_replica()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Healthy);
        var replica = await AwsCli.RunJsonAsync(_sandbox.Url, Rds("create-db-instance-read-replica", "--db-instance-identifier", "lightwave-dev-pg-ro",
            "--source-db-instance-identifier", Lightwave.DbInstance.Instance));
        var replicaHost = replica.GetProperty("DBInstance").GetProperty("Endpoint").GetProperty("Address").GetString()!;
        await AwsCli.RunAsync(_sandbox.Url, "secretsmanager", "put-secret-value", "--secret-id", Lightwave.DbInstance.SecretName,
            "--secret-string", $"postgresql://lightwave:{Lightwave.DbInstance.SecretPassword}@{replicaHost}:5432/lightwave");

        using var session = SandboxSessions.Create(_sandbox);
        var report = await new DatabaseConnectivityInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(InstanceBackend with { Probe = false }, default);

        var check = Check(report, "Application endpoint");
        Assert.Equal("Fail", check.Outcome);
        Assert.Contains($"the read replica lightwave-dev-pg-ro of {Lightwave.DbInstance.Instance} (read-only; writes fail)", Assert.Single(check.Evidence), StringComparison.Ordinal);
        Assert.Contains($"secret-id {report.EndpointSource!.Split(' ')[1]}", check.Fix, StringComparison.Ordinal);
        Assert.Equal($"read replica lightwave-dev-pg-ro: {replicaHost}", Assert.Single(report.ReadReplicas));
        Assert.DoesNotContain(Lightwave.DbInstance.SecretPassword, JsonSerializer.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_instance_is_DatabaseInstanceNotFound_an_Aurora_member_is_sent_to_its_cluster_and_an_available_one_needs_no_start()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Healthy);
        await AwsCli.RunAsync(_sandbox.Url, Rds("create-db-cluster", "--db-cluster-identifier", "member-db", "--engine", "aurora-postgresql",
            "--master-username", "lightwave", "--master-user-password", "sandbox-password-1"));
        await AwsCli.RunAsync(_sandbox.Url, Rds("create-db-instance", "--db-instance-identifier", "member-db-1", "--db-cluster-identifier", "member-db",
            "--engine", "aurora-postgresql", "--db-instance-class", "db.serverless"));
        using var session = SandboxSessions.Create(_sandbox);
        var facts = new AwsFacts(session, NullOperationObserver.Instance);
        var inspector = new DatabaseConnectivityInspector(facts);
        var starter = new DatabaseStarter(facts);

        var missing = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync(new DatabaseConnectivityRequest { DatabaseInstance = "nope-pg" }, default));
        Assert.Equal((ErrorIds.DatabaseInstanceNotFound, DeployOpsErrorKind.NotFound, "nope-pg"), (missing.Error.ErrorId, missing.Error.Kind, missing.Error.Target));
        var startMissing = await Assert.ThrowsAsync<DeployOpsException>(() => starter.PlanAsync(DatabaseKind.Instance, "nope-pg", default));
        Assert.Equal(ErrorIds.DatabaseInstanceNotFound, startMissing.Error.ErrorId);

        var member = await Assert.ThrowsAsync<DeployOpsException>(() => inspector.InspectAsync(new DatabaseConnectivityRequest { DatabaseInstance = "member-db-1" }, default));
        Assert.Equal((ErrorIds.DatabaseInstanceInCluster, DeployOpsErrorKind.InvalidArgument), (member.Error.ErrorId, member.Error.Kind));
        Assert.Equal("Test the cluster: Test-DatabaseConnectivity -DatabaseCluster member-db", member.Error.RecommendedAction);
        var startMember = await Assert.ThrowsAsync<DeployOpsException>(() => starter.PlanAsync(DatabaseKind.Instance, "member-db-1", default));
        Assert.Equal("Start the cluster: Start-DatabaseCluster -DatabaseCluster member-db", startMember.Error.RecommendedAction);

        var (plan, instance) = await starter.PlanAsync(DatabaseKind.Instance, Lightwave.DbInstance.Instance, default);
        Assert.Null(plan);
        Assert.Equal("available", instance.Status);
        Assert.Equal("available", Assert.IsType<DatabaseInstanceChange>(starter.Unchanged(instance)).Status);
        Assert.DoesNotContain(session.Calls.Snapshot(), c => c.Operation.StartsWith("Start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_starting_instance_is_only_waited_for_and_the_wait_ends_at_once_when_someone_stops_it()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.DbInstance.Stopped);
        await AwsCli.RunAsync(_sandbox.Url, Rds("start-db-instance", "--db-instance-identifier", Lightwave.DbInstance.Instance));
        using var session = SandboxSessions.Create(_sandbox);
        var starter = new DatabaseStarter(new AwsFacts(session, NullOperationObserver.Instance));

        var (plan, _) = await starter.PlanAsync(DatabaseKind.Instance, Lightwave.DbInstance.Instance, default);
        Assert.Equal(("starting", false), (plan!.Status, plan.StartNeeded));
        await AwsCli.RunAsync(_sandbox.Url, Rds("stop-db-instance", "--db-instance-identifier", Lightwave.DbInstance.Instance));
        var outcomes = await starter.ApplyAsync(plan, new DatabaseWaitSettings(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)), default);

        Assert.Equal(2, outcomes.Count);
        var change = Assert.IsType<DatabaseInstanceChange>(outcomes[0].Value);
        Assert.Equal(("starting", "stopping", false), (change.PreviousStatus, change.Status, change.Started));
        var error = outcomes[1].Error!;
        Assert.Equal((ErrorIds.DatabaseInstanceStartFailed, DeployOpsErrorKind.DeploymentFailed), (error.ErrorId, error.Kind));
        Assert.Contains("--source-type db-instance", error.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Calls.Snapshot(), c => c.Operation == "StartDBInstance");
        var stopping = await Assert.ThrowsAsync<DeployOpsException>(() => starter.PlanAsync(DatabaseKind.Instance, Lightwave.DbInstance.Instance, default));
        Assert.Equal(ErrorIds.DatabaseInstanceNotStartable, stopping.Error.ErrorId);
        Assert.StartsWith("Wait until it is stopped (aws rds describe-db-instances", stopping.Error.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("db", "pg")]
    public void A_request_names_exactly_one_database(string? cluster, string? instance)
    {
        var error = Assert.Throws<DeployOpsException>(() => DatabaseConnectivityInspector.Validate(new DatabaseConnectivityRequest { DatabaseCluster = cluster ?? "", DatabaseInstance = instance }));

        Assert.Equal((ErrorIds.MissingDatabase, DeployOpsErrorKind.InvalidArgument), (error.Error.ErrorId, error.Error.Kind));
    }

    /// <summary>Keeps what the engine reports through its observer.</summary>
    private sealed class RecordingObserver : IOperationObserver
    {
        private readonly ConcurrentQueue<string> _messages = new();
        private readonly ConcurrentQueue<OperationProgress> _progress = new();

        public string[] Messages => _messages.ToArray();

        public OperationProgress[] ProgressReports => _progress.ToArray();

        public void Verbose(string message) => _messages.Enqueue(message);

        public void Warning(string message) => _messages.Enqueue(message);

        public void Progress(OperationProgress progress)
        {
            _progress.Enqueue(progress);
            _messages.Enqueue($"{progress.Activity}: {progress.Status}");
        }
    }
}
