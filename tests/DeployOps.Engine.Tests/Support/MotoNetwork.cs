using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Protocols;

namespace DeployOps.Engine.Tests.Support;

/// <summary>A VPC with DNS hostnames (moto needs them for awsvpc tasks), two subnets and a security group.</summary>
internal sealed record MotoNetwork(string VpcId, string SubnetA, string SubnetB, string SecurityGroupId)
{
    public static async Task<MotoNetwork> CreateAsync(AwsSession session, string cidrPrefix = "10.0")
    {
        var ec2 = session.Ec2.Protocol;
        var vpc = (await CallAsync(ec2, "CreateVpc", new AwsParameters { { "CidrBlock", cidrPrefix + ".0.0/16" } })).Child("vpc")!.Text("vpcId")!;
        await CallAsync(ec2, "ModifyVpcAttribute", new AwsParameters { { "VpcId", vpc }, { "EnableDnsHostnames", new AwsParameters { { "Value", true } } } });
        var subnetA = await CreateSubnetAsync(ec2, vpc, cidrPrefix + ".1.0/24", "us-east-1a");
        var subnetB = await CreateSubnetAsync(ec2, vpc, cidrPrefix + ".2.0/24", "us-east-1b");
        var group = (await CallAsync(ec2, "CreateSecurityGroup", new AwsParameters
        {
            { "GroupName", MotoSessions.UniqueName("sg") },
            { "GroupDescription", "test" },
            { "VpcId", vpc },
        })).Text("groupId")!;
        return new MotoNetwork(vpc, subnetA, subnetB, group);
    }

    private static async Task<string> CreateSubnetAsync(AwsQueryClient ec2, string vpc, string cidr, string zone) =>
        (await CallAsync(ec2, "CreateSubnet", new AwsParameters { { "VpcId", vpc }, { "CidrBlock", cidr }, { "AvailabilityZone", zone } }))
        .Child("subnet")!.Text("subnetId")!;

    private static Task<System.Xml.Linq.XElement> CallAsync(AwsQueryClient ec2, string action, AwsParameters parameters) =>
        ec2.CallAsync(AwsOperation.NonIdempotent(action), parameters, CancellationToken.None);
}
