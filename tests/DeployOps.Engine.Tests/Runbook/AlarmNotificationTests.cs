using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Alarms;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Runbook;

/// <summary>
/// Test-AlarmNotification's engine against the sandbox (runbook 004 "Missing alarm notifications", "False positive
/// alarms"): a subscription pending confirmation, actions disabled, a topic without subscription, flaps from the alarm's
/// history; alarms selected by the resource they watch; the confirmation heals the notification.
/// </summary>
public sealed class AlarmNotificationTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public AlarmNotificationTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<IReadOnlyList<ItemOutcome<AlarmNotificationReport>>> InspectAsync(AlarmNotificationQuery query)
    {
        using var session = SandboxSessions.Create(_sandbox);
        return await new AlarmNotificationInspector(new AwsFacts(session, NullOperationObserver.Instance)).InspectAsync(query, default);
    }

    private static AlarmNotificationReport Report(IEnumerable<ItemOutcome<AlarmNotificationReport>> outcomes, string alarm) =>
        outcomes.Single(o => o.Value?.AlarmName == alarm).Value!;

    [Fact]
    public async Task Alarm_unconfirmed_names_the_pending_subscription_the_disabled_actions_the_empty_topic_and_the_flaps()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.AlarmUnconfirmed.Scenario);

        var all = await InspectAsync(new AlarmNotificationQuery());

        Assert.Equal(new[] { Lightwave.AlarmUnconfirmed.AlbAlarm, Lightwave.AlarmUnconfirmed.DatabaseAlarm, Lightwave.AlarmUnconfirmed.CpuAlarm, Lightwave.AlarmUnconfirmed.MemoryAlarm },
            all.Select(o => o.Value!.AlarmName));
        var cpu = Report(all, Lightwave.AlarmUnconfirmed.CpuAlarm);
        Assert.Equal(("Fail", true, Lightwave.AlarmUnconfirmed.CpuFlaps, true), (cpu.Status, cpu.ActionsEnabled, cpu.Flaps!.Value, cpu.Complete));
        Assert.Equal($"ECS service {Lightwave.Cluster}/{Lightwave.Service}", cpu.Resource);
        Assert.Equal(new[] { "PendingConfirmation", "Flapping" }, cpu.Findings.Select(f => f.Kind));
        var topic = Assert.Single(cpu.Topics);
        Assert.Equal((Lightwave.AlarmUnconfirmed.AlarmsTopic, (bool?)true, 0), (topic.Topic, topic.Exists, topic.Confirmed));
        Assert.Equal(new[] { $"email {Lightwave.AlarmUnconfirmed.OnCallEmail}", "https https://hooks.lightwave.example/alarms?token=***" }, topic.PendingConfirmation);
        Assert.DoesNotContain(cpu.Findings, f => f.Evidence.Contains(Lightwave.AlarmUnconfirmed.WebhookToken, StringComparison.Ordinal));
        Assert.Contains("aws sns publish --topic-arn arn:aws:sns:us-east-1:", cpu.Findings[0].Fix, StringComparison.Ordinal);
        Assert.Contains("went to ALARM 6 times", cpu.Findings[1].Evidence, StringComparison.Ordinal);
        Assert.Contains("aws cloudwatch disable-alarm-actions --alarm-names \"lightwave-dev-ecs-cpu-high\"", cpu.Findings[1].Fix, StringComparison.Ordinal);

        var alb = Report(all, Lightwave.AlarmUnconfirmed.AlbAlarm);
        Assert.Equal(("Fail", false), (alb.Status, alb.ActionsEnabled));
        Assert.Equal(new[] { "ActionsDisabled", "NoSubscriptions" }, alb.Findings.Select(f => f.Kind));
        Assert.StartsWith("aws cloudwatch enable-alarm-actions --alarm-names \"lightwave-dev-alb-5xx\"", alb.Findings[0].Fix, StringComparison.Ordinal);
        Assert.StartsWith("load balancer app/lightwave-dev-alb/", alb.Resource, StringComparison.Ordinal);

        var database = Report(all, Lightwave.AlarmUnconfirmed.DatabaseAlarm);
        Assert.Equal(("Pass", 0, 1), (database.Status, database.Flaps!.Value, Assert.Single(database.Topics).Confirmed));
        Assert.Empty(database.Findings);
    }

    [Fact]
    public async Task Alarms_are_selected_by_the_service_load_balancer_or_database_they_watch_and_an_unknown_name_is_AlarmNotFound()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.AlarmUnconfirmed.Scenario);

        var service = await InspectAsync(new AlarmNotificationQuery { Cluster = Lightwave.Cluster, Service = Lightwave.Service });
        var balancer = await InspectAsync(new AlarmNotificationQuery { LoadBalancer = Lightwave.LoadBalancer });
        var database = await InspectAsync(new AlarmNotificationQuery { DatabaseCluster = Lightwave.AlarmUnconfirmed.DatabaseCluster });
        var named = await InspectAsync(new AlarmNotificationQuery { AlarmNames = new[] { Lightwave.AlarmUnconfirmed.MemoryAlarm, "lightwave-nope" } });

        Assert.Equal(new[] { Lightwave.AlarmUnconfirmed.CpuAlarm, Lightwave.AlarmUnconfirmed.MemoryAlarm }, service.Select(o => o.Value!.AlarmName));
        Assert.Equal(Lightwave.AlarmUnconfirmed.AlbAlarm, Assert.Single(balancer).Value!.AlarmName);
        Assert.Equal(Lightwave.AlarmUnconfirmed.DatabaseAlarm, Assert.Single(database).Value!.AlarmName);
        Assert.Equal(ErrorIds.AlarmNotFound, named.Single(o => o.Error is not null).Error!.ErrorId);
        Assert.Equal(Lightwave.AlarmUnconfirmed.MemoryAlarm, named.Single(o => o.Value is not null).Value!.AlarmName);
        var error = await Assert.ThrowsAsync<DeployOpsException>(() => InspectAsync(new AlarmNotificationQuery { Service = Lightwave.Service }));
        Assert.Equal(ErrorIds.MissingCluster, error.Error.ErrorId);
    }

    [Fact]
    public async Task Confirming_the_subscription_heals_the_notification_and_a_shorter_window_drops_the_old_flaps()
    {
        await _sandbox.LoadScenarioAsync(Lightwave.AlarmUnconfirmed.Scenario);

        foreach (var endpoint in new[] { Lightwave.AlarmUnconfirmed.OnCallEmail, Lightwave.AlarmUnconfirmed.Webhook })
        {
            (await _sandbox.PostControlAsync("_sandbox/sns/confirm", $"{{\"endpoint\": \"{endpoint}\"}}")).EnsureSuccessStatusCode();
        }

        var after = await InspectAsync(new AlarmNotificationQuery { Cluster = Lightwave.Cluster, Service = Lightwave.Service });
        var recent = await InspectAsync(new AlarmNotificationQuery { AlarmNames = new[] { Lightwave.AlarmUnconfirmed.CpuAlarm }, Since = TimeSpan.FromMinutes(1) });

        Assert.Equal("Pass", Report(after, Lightwave.AlarmUnconfirmed.MemoryAlarm).Status);
        var cpu = Report(after, Lightwave.AlarmUnconfirmed.CpuAlarm);
        Assert.Equal(("Warning", "Flapping", 2), (cpu.Status, Assert.Single(cpu.Findings).Kind, Assert.Single(cpu.Topics).Confirmed));
        var lastMinute = Assert.Single(recent).Value!;
        Assert.Equal(("Pass", 0), (lastMinute.Status, lastMinute.Flaps!.Value));
    }
}
