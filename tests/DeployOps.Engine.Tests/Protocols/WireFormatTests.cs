using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Http;
using DeployOps.Aws.Iam;
using DeployOps.Aws.Protocols;
using Xunit;

namespace DeployOps.Engine.Tests.Protocols;

/// <summary>Request framing, error parsing and signing, checked against the wire formats and botocore.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void QueryFlattensNestedMembersAndListsWithMember()
    {
        var parameters = new AwsParameters
        {
            { "TargetGroupArn", "arn:tg" },
            { "HealthCheckEnabled", true },
            { "HealthCheckIntervalSeconds", 15 },
            { "Matcher", new AwsParameters { { "HttpCode", "200-299" } } },
            { "Names", new[] { "a", "b" } },
            { "Targets", new[] { new AwsParameters { { "Id", "10.0.0.1" }, { "Port", 80 } } } },
            { "Skipped", (string?)null },
        };

        var fields = AwsQueryClient.Flatten(AwsServices.ElasticLoadBalancingV2, "ModifyTargetGroup", parameters);

        Assert.Equal(
            new[]
            {
                "Action=ModifyTargetGroup", "Version=2015-12-01", "TargetGroupArn=arn:tg", "HealthCheckEnabled=true",
                "HealthCheckIntervalSeconds=15", "Matcher.HttpCode=200-299", "Names.member.1=a", "Names.member.2=b",
                "Targets.member.1.Id=10.0.0.1", "Targets.member.1.Port=80",
            },
            fields.Select(f => f.Key + "=" + f.Value));
    }

    [Fact]
    public void Ec2ListsAreNameDotN()
    {
        var parameters = new AwsParameters
        {
            { "GroupId", new[] { "sg-1", "sg-2" } },
            { "Filter", new[] { new AwsParameters { { "Name", "vpc-id" }, { "Value", new[] { "vpc-1" } } } } },
        };

        var fields = AwsQueryClient.Flatten(AwsServices.Ec2, "DescribeSecurityGroups", parameters);

        Assert.Equal(
            new[] { "Action=DescribeSecurityGroups", "Version=2016-11-15", "GroupId.1=sg-1", "GroupId.2=sg-2", "Filter.1.Name=vpc-id", "Filter.1.Value.1=vpc-1" },
            fields.Select(f => f.Key + "=" + f.Value));
    }

    [Fact]
    public void JsonWritesAnObjectWithoutTheNullMembers()
    {
        var parameters = new AwsParameters
        {
            { "cluster", "web" },
            { "services", new[] { "api" } },
            { "desiredCount", 2 },
            { "forceNewDeployment", true },
            { "taskDefinition", (string?)null },
            { "deploymentConfiguration", new AwsParameters { { "maximumPercent", 200 } } },
            { "startTime", 1700000000000L },
        };

        var json = Encoding.UTF8.GetString(AwsJsonClient.Serialize(parameters));

        Assert.Equal(
            "{\"cluster\":\"web\",\"services\":[\"api\"],\"desiredCount\":2,\"forceNewDeployment\":true,"
            + "\"deploymentConfiguration\":{\"maximumPercent\":200},\"startTime\":1700000000000}",
            json);
    }

    [Theory]
    [InlineData("{\"__type\":\"com.amazonaws.ecs#ClusterNotFoundException\",\"message\":\"Cluster not found.\"}", "ClusterNotFoundException", "Cluster not found.")]
    [InlineData("{\"__type\":\"ResourceNotFoundException:http://internal.amazon.com/coral/\",\"Message\":\"gone\"}", "ResourceNotFoundException", "gone")]
    [InlineData("{\"__type\":\"ThrottlingException\"}", "ThrottlingException", "")]
    public void JsonErrorsAreReadFromType(string body, string code, string message)
    {
        var details = AwsJsonClient.ReadError(new AwsHttpResponse(400, body, null));

        Assert.Equal((code, message), (details?.Code, details?.Message));
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("{\"unrelated\":1}")]
    [InlineData("")]
    public void A_body_that_is_not_an_AWS_error_document_has_no_error_code(string body)
    {
        Assert.Null(AwsJsonClient.ReadError(new AwsHttpResponse(502, body, null)));
        Assert.Null(AwsQueryClient.ReadError(new AwsHttpResponse(502, body, null)));
    }

    [Fact]
    public void QueryErrorsAreReadWhateverTheNamespace()
    {
        const string body = "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type>"
                            + "<Code>TargetGroupNotFound</Code><Message>One or more target groups not found</Message></Error>"
                            + "<RequestId>req-1</RequestId></ErrorResponse>";

        var details = AwsQueryClient.ReadError(new AwsHttpResponse(400, body, null));

        Assert.Equal(new AwsErrorDetails("TargetGroupNotFound", "One or more target groups not found", "req-1"), details);
    }

    [Fact]
    public void Ec2ErrorsAreReadFromResponseErrors()
    {
        const string body = "<?xml version=\"1.0\"?><Response><Errors><Error><Code>InvalidGroup.NotFound</Code>"
                            + "<Message>The security group 'sg-1' does not exist</Message></Error></Errors><RequestID>req-2</RequestID></Response>";

        var details = AwsQueryClient.ReadError(new AwsHttpResponse(400, body, null));

        Assert.Equal(new AwsErrorDetails("InvalidGroup.NotFound", "The security group 'sg-1' does not exist", "req-2"), details);
    }

    [Fact]
    public void XmlReadersIgnoreNamespacesAndReadMemberAndItemLists()
    {
        var query = XElement.Parse("<R xmlns=\"urn:a\"><TargetGroups><member><Port>80</Port></member><member><Port>81</Port></member></TargetGroups></R>");
        var ec2 = XElement.Parse("<R xmlns=\"urn:b\"><groupSet><item><groupId>sg-1</groupId></item></groupSet></R>");

        Assert.Equal(new int?[] { 80, 81 }, query.List("TargetGroups", member => member.Int("Port")));
        Assert.Equal(new[] { "sg-1" }, ec2.List("groupSet", item => item.Text("groupId")));
        Assert.Empty(query.Items("Missing"));
    }

    [Theory]
    [InlineData("ClusterNotFoundException", 400, null, AwsErrorClassification.NotFound)]
    [InlineData("ServiceNotFoundException", 400, null, AwsErrorClassification.NotFound)]
    [InlineData("TargetGroupNotFound", 400, null, AwsErrorClassification.NotFound)]
    [InlineData("InvalidGroup.NotFound", 400, null, AwsErrorClassification.NotFound)]
    [InlineData("ResourceNotFoundException", 400, null, AwsErrorClassification.NotFound)]
    [InlineData("AccessDeniedException", 400, null, AwsErrorClassification.AccessDenied)]
    [InlineData("UnauthorizedOperation", 403, null, AwsErrorClassification.AccessDenied)]
    [InlineData("ExpiredToken", 403, null, AwsErrorClassification.AccessDenied)]
    [InlineData("ValidationError", 400, null, AwsErrorClassification.Validation)]
    [InlineData("InvalidParameterException", 400, null, AwsErrorClassification.Validation)]
    [InlineData("InvalidParameterValue", 400, null, AwsErrorClassification.Validation)]
    [InlineData("ServerException", 500, null, AwsErrorClassification.ServiceUnavailable)]
    [InlineData("Http503", 503, null, AwsErrorClassification.ServiceUnavailable)]
    [InlineData("DuplicateTargetGroupName", 400, null, AwsErrorClassification.Other)]
    public void ErrorsOfAServiceWithoutATableAreClassifiedByTheCommonCodesAndTheStatus(string code, int status, string? message, AwsErrorClassification expected) =>
        Assert.Equal(expected, AwsErrorClassifier.Classify(code, status, message));

    [Fact]
    public void EcsMissingFailureIsNotFound() =>
        Assert.Equal(AwsErrorClassification.NotFound, AwsErrorClassifier.ClassifyEcsFailure("MISSING"));

    [Theory]
    [MemberData(nameof(BotocoreSignatures))]
    public async Task SignatureMatchesBotocore(ExampleKeys keys, string region, AwsServiceDescription service, string endpoint, string body, string contentType, string? target, string expectedAuthorization)
    {
        var signer = new AwsSigner(new ResolvedCredentials(keys.Create(), "Parameter"), region);
        var request = new AwsHttpRequest(service, new Uri(endpoint), AwsOperation.Idempotent("Op"), Encoding.UTF8.GetBytes(body), contentType, target);
        var headers = new Dictionary<string, string> { ["Content-Type"] = contentType };
        if (target is not null)
        {
            headers["X-Amz-Target"] = target;
        }

        var signed = await signer.SignAsync(request, headers, CancellationToken.None, new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc));

        Assert.Equal(expectedAuthorization, signed.Single(h => h.Key == "Authorization").Value);
    }

    [Theory]
    [InlineData("eu-west-1", "us-east-1")]
    [InlineData("cn-northwest-1", "cn-north-1")]
    [InlineData("us-gov-east-1", "us-gov-west-1")]
    public async Task AGlobalServiceIsSignedForItsPartitionsRegion(string sessionRegion, string signingRegion)
    {
        var signer = new AwsSigner(new ResolvedCredentials(new ExampleKeys(null).Create(), "Parameter"), sessionRegion);
        var request = new AwsHttpRequest(IamApi.Description, new Uri("http://127.0.0.1:5123/"), AwsOperation.Idempotent("GetRole"),
            Encoding.UTF8.GetBytes("Action=GetRole&Version=2010-05-08&RoleName=r"), "application/x-www-form-urlencoded; charset=utf-8", null);

        var signed = await signer.SignAsync(request, new Dictionary<string, string>(), CancellationToken.None, new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc));

        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/{signingRegion}/iam/aws4_request, ", signed.Single(h => h.Key == "Authorization").Value);
    }

    // Expected values computed with botocore's SigV4Auth for the same request, time and keys (with the
    // X-Amz-Content-SHA256 header AWSSDK.Core adds). The keys are the AWS documentation's example keys.
    public static TheoryData<ExampleKeys, string, AwsServiceDescription, string, string, string, string?, string> BotocoreSignatures => new()
    {
        {
            new ExampleKeys(null), "us-east-1", AwsServices.Ecs, "https://ecs.us-east-1.amazonaws.com/", "{\"cluster\":\"c1\"}",
            "application/x-amz-json-1.1", "AmazonEC2ContainerServiceV20141113.ListServices",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ecs/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, "
            + "Signature=391a3440c0feeb19a204498f45ca7b4a33498f8888e5ffe7a4cc18f87fd82231"
        },
        {
            new ExampleKeys("TOKEN123"), "eu-west-1", AwsServices.ElasticLoadBalancingV2, "http://127.0.0.1:5123/",
            "Action=ListThings&Version=2015-12-01", "application/x-www-form-urlencoded; charset=utf-8", null,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/elasticloadbalancing/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            + "Signature=1c816edb961803af764558f871c8bb4571840be9b6fbd4cd9a20d81616b6f992"
        },
    };

    /// <summary>The documentation's example keys, with or without a session token.</summary>
    public sealed record ExampleKeys(string? Token)
    {
        public AWSCredentials Create() => Token is null
            ? new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
            : new SessionAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Token);
    }
}
