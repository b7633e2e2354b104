using System;
using System.Linq;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Engine.Tests.Support;
using DeployOps.Errors;
using Xunit;

namespace DeployOps.Engine.Tests.Errors;

/// <summary>What the AWS layer throws becomes a DeployOps error with its own stable id and a message naming the bad value.</summary>
public sealed class ErrorTranslatorTests
{
    public static TheoryData<AwsConfigurationProblem> Problems => new(Enum.GetValues<AwsConfigurationProblem>());

    [Theory]
    [MemberData(nameof(Problems))]
    public void EveryConfigurationProblemHasAnIdOfItsOwnNeverAwsRequestFailed(AwsConfigurationProblem problem)
    {
        var error = ErrorTranslator.Translate(new AwsConfigurationException(problem, "text"), null);

        Assert.NotEqual(ErrorIds.AwsRequestFailed, error.ErrorId);
        Assert.Contains(error.ErrorId, typeof(ErrorIds).GetFields().Select(f => (string)f.GetValue(null)!));
        Assert.Contains(error.Kind, new[] { DeployOpsErrorKind.Configuration, DeployOpsErrorKind.InvalidArgument });
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("2.5")]
    [InlineData("101")]
    [InlineData("99999999999")]
    public void A_bad_AWS_MAX_ATTEMPTS_is_a_configuration_error_naming_the_variable_the_value_and_the_range(string value)
    {
        var environment = new FixedAwsEnvironment().With("AWS_MAX_ATTEMPTS", value);
        var options = new AwsSessionOptions { Region = "us-east-1", Credential = new BasicAWSCredentials("a", "b") };

        var thrown = Assert.Throws<AwsConfigurationException>(() => AwsSession.Create(options, MotoSessions.Runtime(environment)));
        var error = ErrorTranslator.Translate(thrown, null);

        Assert.Equal((ErrorIds.InvalidMaxAttempts, DeployOpsErrorKind.Configuration), (error.ErrorId, error.Kind));
        Assert.Contains($"'{value}' (from AWS_MAX_ATTEMPTS)", error.Message);
        Assert.Contains("a whole number from 1 to 100", error.Message);
    }

    [Fact]
    public void A_resource_AWS_does_not_find_is_quoted_in_the_message()
    {
        var notFound = new AwsServiceException("ECS", "DescribeServices", "ClusterNotFoundException", 400, null, "Cluster not found.");

        var error = ErrorTranslator.Translate(notFound, " ");

        Assert.Equal(ErrorIds.ClusterNotFound, error.ErrorId);
        Assert.StartsWith("' ' was not found", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Exception> Defects => new()
    {
        new NullReferenceException("Object reference not set to an instance of an object."),
        new InvalidOperationException("Sequence contains more than one element"),
        new ArgumentOutOfRangeException("index"),
        new System.Collections.Generic.KeyNotFoundException("The given key was not present."),
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void An_exception_no_DeployOps_code_expects_is_a_DeployOps_defect_never_an_AWS_failure(Exception defect)
    {
        var error = ErrorTranslator.Translate(defect, "lightwave-backend-api-dev");

        Assert.Equal((ErrorIds.DeployOpsDefect, DeployOpsErrorKind.Defect), (error.ErrorId, error.Kind));
        Assert.StartsWith($"DeployOps defect, not an AWS failure: {defect.GetType().FullName}: ", error.Message, StringComparison.Ordinal);
        Assert.Same(defect, error.Exception);
    }

    [Fact]
    public void Every_AWS_call_failure_keeps_an_AWS_error_id()
    {
        var endpoint = new Uri("http://127.0.0.1:9/");
        var failures = new Exception[]
        {
            new AwsServiceException("ECS", "ListServices", "ThrottlingException", 400, null, "Rate exceeded"),
            new AwsEndpointUnreachableException("ECS", "ListServices", endpoint, AwsUnreachableReason.ConnectionRefused, new System.Net.Http.HttpRequestException("refused")),
            new AwsOutcomeUnknownException("ECS", "UpdateService", endpoint, new System.IO.IOException("the connection dropped")),
        };

        Assert.All(failures, failure => Assert.NotEqual(DeployOpsErrorKind.Defect, ErrorTranslator.Translate(failure, "x").Kind));
    }
}
