using DeployOps.Redaction;
using Xunit;

namespace DeployOps.Engine.Tests.Redaction;

/// <summary>Values go, names stay: each rule of the redactor, and what it must leave alone (ids, ARNs, messages).</summary>
public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("FATAL: database connection failed: postgres://lightwave:S3cr3t-Pa55w0rd@db.internal:5432/app",
        "FATAL: database connection failed: postgres://lightwave:***@db.internal:5432/app")]
    [InlineData("cloning https://ghp_tokenvalue@github.com/org/repo", "cloning https://***@github.com/org/repo")]
    [InlineData("GET https://api.example.com/v1/check?token=tok_123&region=us-east-1 failed",
        "GET https://api.example.com/v1/check?token=***&region=*** failed")]
    [InlineData("password=hunter22 user=app", "password=*** user=app")]
    [InlineData("DB_PASSWORD: 'hunter22'", "DB_PASSWORD: '***'")]
    [InlineData("client_secret=abc123def, next", "client_secret=***, next")]
    [InlineData("api_key = zzz999", "api_key = ***")]
    [InlineData("{\"token\": \"abc.def\"}", "{\"token\": \"***\"}")]
    [InlineData("using key AKIAIOSFODNN7EXAMPLE", "using key AKIA***")]
    [InlineData("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here", "secret *** here")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "Authorization: Bearer ***")]
    public void A_secret_value_goes_and_its_name_stays(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.Patterns.Redact(text));

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lightwave-dev-backend-tg/b650c8e835f8c98f")]
    [InlineData("arn:aws:iam::123456789012:role/LightwaveEcsTaskExecutionRole2023ForProduction")]
    [InlineData("failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:lightwave/dev/django-secret-key from secrets manager")]
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter/lightwave/dev/api-token")]
    [InlineData("(service lightwave-backend-api-dev) (deployment ecs-svc/5007574176531602895) deployment completed.")]
    [InlineData("task bdb7efc909584c928a864b7f7ff0a630 stopped: Essential container in task exited")]
    [InlineData("Security group sg-235c993374979c6dd (lightwave-dev-backend-sg) allows no inbound TCP 8000")]
    [InlineData("django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.")]
    [InlineData("2 target(s) unhealthy: Target.ResponseCodeMismatch: Health checks failed with these codes: [404]")]
    [InlineData("Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; AWS_SECRET_ACCESS_KEY is missing.")]
    [InlineData("http://127.0.0.1:34137/api/v1/health/health/")]
    public void Names_ids_and_arns_stay(string text) => Assert.Equal(text, SecretRedactor.Patterns.Redact(text));

    [Fact]
    public void A_known_value_goes_wherever_it_appears_and_short_values_are_not_known_secrets()
    {
        var redactor = new SecretRedactor();
        redactor.AddKnownValues(new[] { "S3cr3t-Pa55w0rd-Seed", "true", "8000", null });

        Assert.Equal("login as lightwave with *** failed (debug=true, port 8000)",
            redactor.Redact("login as lightwave with S3cr3t-Pa55w0rd-Seed failed (debug=true, port 8000)"));
        Assert.Equal("S3cr3t-Pa55w0rd-Seed", SecretRedactor.Patterns.Redact("S3cr3t-Pa55w0rd-Seed"));
    }
}
