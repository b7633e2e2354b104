using System;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using DeployOps.Aws;
using DeployOps.Aws.Configuration;
using DeployOps.Aws.Http;
using DeployOps.Aws.Protocols;
using DeployOps.Engine.Tests.Support;
using DeployOps.Sandbox.Http;
using DeployOps.Testing;
using Xunit;

namespace DeployOps.Engine.Tests.Pipeline;

/// <summary>
/// A machine clock that is off gets a clock-skew error; the session learns the offset from the server's Date header
/// (or the time in the message), re-signs and sends once more, and keeps the offset. <see cref="MotoFront"/> plays an
/// AWS endpoint that rejects a request whose X-Amz-Date is more than 5 minutes from its own clock, and forwards the
/// rest to moto.
/// </summary>
public sealed class ClockSkewTests : IClassFixture<MotoFixture>
{
    private static readonly TimeSpan Allowed = TimeSpan.FromMinutes(5);

    private readonly MotoFixture _moto;

    public ClockSkewTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task AClockBehindIsCorrectedFromTheDateHeaderResentOnceAndKeptForTheSession()
    {
        await using var front = StrictFront(Rejection.JsonSignatureExpired);
        var delay = new RecordingDelay();
        using var session = front.Session(delay, TimeSpan.FromHours(-1));

        await session.Ecs.ListClustersAsync();
        var afterFirst = session.Calls.TotalAttempts;
        await session.Ecs.ListClustersAsync();

        Assert.Equal((2, 3), (afterFirst, session.Calls.TotalAttempts));
        Assert.InRange(session.ClockOffset, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.Empty(delay.Requested); // a correction, not a retry: no backoff, no quota
    }

    [Fact]
    public async Task AClockAheadIsCorrectedFromTheTimeInTheMessageWhenThereIsNoDateHeader()
    {
        await using var front = StrictFront(Rejection.QuerySignatureNotYetCurrentWithoutDate);
        using var session = front.Session(clockError: TimeSpan.FromHours(2));

        var identity = await session.Sts.GetCallerIdentityAsync();

        Assert.Equal((MotoSessions.Account, 2), (identity.Account, session.Calls.TotalAttempts));
        Assert.InRange(session.ClockOffset, TimeSpan.FromMinutes(-121), TimeSpan.FromMinutes(-119));
    }

    [Fact]
    public async Task ANonIdempotentCallIsResentTooBecauseAwsRejectedItBeforeDoingAnything()
    {
        await using var front = StrictFront(Rejection.Ec2RequestExpired);
        using var session = front.Session(clockError: TimeSpan.FromMinutes(-30));
        var name = MotoSessions.UniqueName("skew");

        await session.Ec2.Protocol.CallAsync(
            AwsOperation.NonIdempotent("CreateSecurityGroup"), new AwsParameters { { "GroupName", name }, { "GroupDescription", "skew test" } }, CancellationToken.None);

        Assert.Equal(2, session.Calls.Get("EC2", "CreateSecurityGroup").Attempts);
    }

    [Fact]
    public async Task ASkewErrorWhoseServerTimeAgreesWithTheSigningTimeIsNotResent()
    {
        // The server blames the clock, but its Date says the clocks agree: re-signing cannot help.
        await using var front = MotoFront.Start(_moto.Url, (_, _) => Task.FromResult(Rejection.JsonSignatureExpired(DateTimeOffset.UtcNow)));
        using var session = front.Session();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => session.Ecs.ListClustersAsync());

        Assert.Equal(("InvalidSignatureException", AwsErrorClassification.AccessDenied, 1), (error.ErrorCode, error.Classification, front.Requests));
        Assert.Equal(TimeSpan.Zero, session.ClockOffset);
    }

    [Fact]
    public async Task AServerThatKeepsRejectingIsResentOnlyOnce()
    {
        // Its clock runs an hour ahead of whatever the request says.
        await using var front = MotoFront.Start(_moto.Url, (request, _) => Task.FromResult(Rejection.JsonSignatureExpired(SignedAt(request) + TimeSpan.FromHours(1))));
        using var session = front.Session();

        await Assert.ThrowsAsync<AwsServiceException>(() => session.Ecs.ListClustersAsync());

        Assert.Equal(2, front.Requests);
    }

    [Theory]
    [InlineData("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", true)]
    [InlineData("RequestExpired", "Request has expired.", true)]
    [InlineData("RequestInTheFuture", "Request is not yet valid.", true)]
    [InlineData("InvalidSignatureException", "Signature expired: 20240101T000000Z is now earlier than 20240101T010000Z (20240101T011500Z - 15 min.)", true)]
    [InlineData("SignatureDoesNotMatch", "Signature not yet current: 20240101T020000Z is still later than 20240101T011500Z (20240101T011000Z + 5 min.)", true)]
    [InlineData("AuthFailure", "AWS was not able to authenticate the request: the request time is skewed from the server clock.", true)]
    [InlineData("InvalidSignatureException", "The request signature we calculated does not match the signature you provided.", false)]
    [InlineData("AuthFailure", "AWS was not able to validate the provided access credentials", false)]
    [InlineData("AccessDeniedException", "Signature expired", false)]
    public void ClockSkewErrorsAreTheTimeCodesAndTheSignatureCodesThatSaySo(string code, string message, bool expected) =>
        Assert.Equal(expected, ClockCorrection.IsClockSkewError(code, message));

    [Fact]
    public void TheServerTimeIsTheDateHeaderElseTheNowInTheMessage()
    {
        const string Message = "Signature expired: 20240101T000000Z is now earlier than 20240101T010000Z (20240101T011500Z - 15 min.)";
        var header = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(header, ClockCorrection.ServerTime(header, Message));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 1, 15, 0, TimeSpan.Zero), ClockCorrection.ServerTime(null, Message));
        Assert.Null(ClockCorrection.ServerTime(null, "Request has expired."));
    }

    private MotoFront StrictFront(Func<DateTimeOffset, DateTimeOffset, MiniHttpResponse> reject) =>
        MotoFront.Start(_moto.Url, async (request, forward) =>
        {
            var now = DateTimeOffset.UtcNow;
            return (SignedAt(request) - now).Duration() > Allowed
                ? reject(now, SignedAt(request))
                : MotoFront.Response(await forward());
        });

    private static DateTimeOffset SignedAt(MiniHttpRequest request) =>
        DateTimeOffset.ParseExact(request.Header("X-Amz-Date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>Clock-skew errors in each protocol's real shape.</summary>
    private static class Rejection
    {
        public static MiniHttpResponse JsonSignatureExpired(DateTimeOffset now) => JsonSignatureExpired(now, now - TimeSpan.FromHours(1));

        public static MiniHttpResponse JsonSignatureExpired(DateTimeOffset now, DateTimeOffset signedAt) => MiniHttpResponse.Text(
            400,
            $"{{\"__type\":\"InvalidSignatureException\",\"message\":\"Signature expired: {Stamp(signedAt)} is now earlier than {Stamp(now - Allowed)} ({Stamp(now)} - 5 min.)\"}}",
            "application/x-amz-json-1.1",
            new[] { DateHeader(now) });

        public static MiniHttpResponse QuerySignatureNotYetCurrentWithoutDate(DateTimeOffset now, DateTimeOffset signedAt) => MiniHttpResponse.Text(
            403,
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
            + $"<Message>Signature not yet current: {Stamp(signedAt)} is still later than {Stamp(now + Allowed)} ({Stamp(now)} + 5 min.)</Message>"
            + "</Error><RequestId>req-skew</RequestId></ErrorResponse>",
            "text/xml");

        public static MiniHttpResponse Ec2RequestExpired(DateTimeOffset now, DateTimeOffset signedAt) => MiniHttpResponse.Text(
            400,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestExpired</Code><Message>Request has expired.</Message>"
            + "</Error></Errors><RequestID>req-skew</RequestID></Response>",
            "text/xml",
            new[] { DateHeader(now) });

        private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

        private static System.Collections.Generic.KeyValuePair<string, string> DateHeader(DateTimeOffset now) => new("Date", now.ToString("r", CultureInfo.InvariantCulture));
    }
}
