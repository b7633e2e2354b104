using System.Linq;
using System.Net;
using System.Threading.Tasks;
using DeployOps.Sandbox.Moto;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Sandbox.Tests;

/// <summary>The health checker probes real task listeners with each target group's own settings.</summary>
public sealed class TargetHealthTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;

    public TargetHealthTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private MotoClient Aws => _sandbox.Aws;

    [Fact]
    public async Task Healthy_scenario_reports_every_target_healthy()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var arn = await Aws.TargetGroupArnAsync();

        var targets = await Eventually.WaitForAsync(async () =>
        {
            var rows = await Aws.TargetHealthAsync(arn);
            return rows.Count == 2 && rows.All(r => r.State == "healthy") ? rows : null;
        }, "two healthy targets");

        Assert.All(targets, t => Assert.Equal(8000, t.Port));
        Assert.All(targets, t => Assert.Null(t.Reason));
    }

    [Fact]
    public async Task Wrong_path_gives_response_code_mismatch_until_the_path_is_corrected()
    {
        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        var arn = await Aws.TargetGroupArnAsync();

        var unhealthy = await Eventually.WaitForAsync(async () =>
        {
            var rows = (await Aws.TargetHealthAsync(arn)).Where(r => r.State == "unhealthy").ToList();
            return rows.Count >= 2 ? rows : null;
        }, "targets unhealthy under /health/");
        Assert.All(unhealthy, r => Assert.Equal("Target.ResponseCodeMismatch", r.Reason));
        Assert.All(unhealthy, r => Assert.Equal("Health checks failed with these codes: [404]", r.Description));

        await Aws.ElbAsync("ModifyTargetGroup", [new("TargetGroupArn", arn), new("HealthCheckPath", Lightwave.HealthPath)], Lightwave.Region, default);

        await Eventually.WaitUntilAsync(async () =>
        {
            var rows = await Aws.TargetHealthAsync(arn);
            var registered = rows.Where(r => r.State != "draining").ToList();
            return registered.Count >= 2 && registered.All(r => r.State == "healthy");
        }, "every target healthy after the path is corrected");
    }

    [Fact]
    public async Task Security_group_without_alb_ingress_times_out_until_the_rule_is_added()
    {
        await _sandbox.LoadScenarioAsync("network-timeout");
        var arn = await Aws.TargetGroupArnAsync();

        var timedOut = await Eventually.WaitForAsync(async () =>
        {
            var rows = (await Aws.TargetHealthAsync(arn)).Where(r => r.State == "unhealthy").ToList();
            return rows.Count >= 2 ? rows : null;
        }, "targets unhealthy with Target.Timeout");
        Assert.All(timedOut, r => Assert.Equal("Target.Timeout", r.Reason));

        var backend = await Aws.SecurityGroupIdAsync(Lightwave.BackendSecurityGroup);
        var alb = await Aws.SecurityGroupIdAsync(Lightwave.AlbSecurityGroup);
        await Aws.Ec2Async("AuthorizeSecurityGroupIngress",
        [
            new("GroupId", backend), new("IpPermissions.1.IpProtocol", "tcp"), new("IpPermissions.1.FromPort", "8000"),
            new("IpPermissions.1.ToPort", "8000"), new("IpPermissions.1.Groups.1.GroupId", alb),
        ], Lightwave.Region, default);

        await Eventually.WaitUntilAsync(async () =>
            (await Aws.TargetHealthAsync(arn)).Where(r => r.State != "draining").Count(r => r.State == "healthy") >= 2,
            "targets healthy once the ALB may reach port 8000");
    }

    [Fact]
    public async Task Wrong_container_port_in_the_service_mapping_registers_nothing()
    {
        await _sandbox.LoadScenarioAsync("no-targets");
        var arn = await Aws.TargetGroupArnAsync();

        await Eventually.WaitUntilAsync(async () => (int)(await Aws.ServiceAsync())["runningCount"]! == 2, "two running tasks");

        Assert.Empty(await Aws.TargetHealthAsync(arn));
    }

    [Fact]
    public async Task Asking_for_an_unregistered_target_reports_it_not_registered()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var arn = await Aws.TargetGroupArnAsync();

        var reply = await Aws.ElbAsync("DescribeTargetHealth",
            [new("TargetGroupArn", arn), new("Targets.member.1.Id", "10.99.0.1"), new("Targets.member.1.Port", "8000")], Lightwave.Region, default);

        var health = reply.Find("TargetHealth");
        Assert.Equal("unused", health.Text("State"));
        Assert.Equal("Target.NotRegistered", health.Text("Reason"));
    }

    [Fact]
    public async Task Alb_listener_routes_to_a_healthy_task_and_answers_503_without_one()
    {
        await _sandbox.LoadScenarioAsync("healthy");
        var url = await AlbUrlAsync();

        var ok = await Eventually.WaitForAsync(async () =>
        {
            var response = await _sandbox.Http.GetAsync(url + Lightwave.HealthPath);
            return response.StatusCode == HttpStatusCode.OK ? response : null;
        }, "a 200 from the health path through the ALB");
        Assert.Contains("healthy", await ok.Content.ReadAsStringAsync());
        Assert.True(ok.Headers.Contains("X-Sandbox-Task"));

        await _sandbox.LoadScenarioAsync("health-check-mismatch");
        url = await AlbUrlAsync();
        await Eventually.WaitUntilAsync(async () => (await _sandbox.Http.GetAsync(url + Lightwave.HealthPath)).StatusCode == HttpStatusCode.ServiceUnavailable,
            "a 503 from the ALB once no target is healthy");
    }

    private async Task<string> AlbUrlAsync() =>
        await Eventually.WaitForAsync(async () =>
        {
            var state = await _sandbox.StateAsync();
            return state["loadBalancers"]!.AsArray().FirstOrDefault(l => (string?)l!["name"] == Lightwave.LoadBalancer)?["url"]?.GetValue<string>();
        }, "the ALB's loopback listener");
}
