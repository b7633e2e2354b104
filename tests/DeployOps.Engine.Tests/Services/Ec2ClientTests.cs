using System;
using System.Linq;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Engine.Tests.Support;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Services;

/// <summary>The typed EC2 client over real HTTP against moto; the AWS CLI creates what it reads.</summary>
public sealed class Ec2ClientTests : MotoSessionTest
{
    public Ec2ClientTests(MotoFixture moto)
        : base(moto)
    {
    }

    [Fact]
    public async Task SecurityGroupRulesAreRead()
    {
        var network = await MotoNetwork.CreateAsync(Session);
        var source = await MotoNetwork.CreateAsync(Session, "10.1");
        var prefixList = (await AwsCli.RunJsonAsync(
            Moto.Url, "ec2", "create-managed-prefix-list", "--prefix-list-name", MotoSessions.UniqueName("pl"), "--address-family", "IPv4", "--max-entries", "5"))
            .Text("PrefixList.PrefixListId")!;
        await AwsCli.RunJsonAsync(
            Moto.Url, "ec2", "authorize-security-group-ingress", "--group-id", network.SecurityGroupId, "--ip-permissions",
            "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}],Ipv6Ranges=[{CidrIpv6=::/0}]",
            $"IpProtocol=tcp,FromPort=8080,ToPort=8081,UserIdGroupPairs=[{{GroupId={source.SecurityGroupId}}}],PrefixListIds=[{{PrefixListId={prefixList}}}]");

        var group = (await Session.Ec2.DescribeSecurityGroupsAsync(new[] { network.SecurityGroupId })).Single();

        Assert.Equal((network.SecurityGroupId, network.VpcId), (group.Id, group.VpcId));
        var https = group.Ingress.Single(rule => rule.FromPort == 443);
        Assert.Equal(("tcp", 443, "0.0.0.0/0", "::/0"), (https.Protocol, https.ToPort, https.Ipv4Ranges.Single(), https.Ipv6Ranges.Single()));
        var app = group.Ingress.Single(rule => rule.FromPort == 8080);
        Assert.Equal((8081, source.SecurityGroupId, prefixList), (app.ToPort, app.SecurityGroupIds.Single(), app.PrefixListIds.Single()));
        var egress = group.Egress.Single();
        Assert.Equal(("-1", null, "0.0.0.0/0"), (egress.Protocol, egress.FromPort, egress.Ipv4Ranges.Single()));
    }

    [Fact]
    public async Task SubnetsAreRead()
    {
        var network = await MotoNetwork.CreateAsync(Session, "10.2");

        var subnets = await Session.Ec2.DescribeSubnetsAsync(new[] { network.SubnetA, network.SubnetB });

        var first = subnets.Single(s => s.Id == network.SubnetA);
        Assert.Equal((network.VpcId, "10.2.1.0/24", "us-east-1a", "available"), (first.VpcId, first.CidrBlock, first.AvailabilityZone, first.State));
        Assert.Equal(251, first.AvailableIpAddressCount); // a /24 less the five addresses AWS reserves
        Assert.Equal("us-east-1b", subnets.Single(s => s.Id == network.SubnetB).AvailabilityZone);
    }

    [Fact]
    public async Task UnknownSecurityGroupIsNotFound()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Session.Ec2.DescribeSecurityGroupsAsync(new[] { "sg-0123456789abcdef0" }));

        Assert.Equal(("EC2", "InvalidGroup.NotFound", AwsErrorClassification.NotFound), (error.Service, error.ErrorCode, error.Classification));
        Assert.Contains("sg-0123456789abcdef0", error.ErrorMessage);
    }
}
