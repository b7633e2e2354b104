using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;

namespace DeployOps.Aws.Http;

/// <summary>
/// A session's estimate of how far the machine's clock is from AWS's. SigV4 requests carry their signing time and AWS
/// rejects one more than 5 (some services 15) minutes off; when it says so (a clock-skew error), the server's time
/// (its Date header, or the time in the message) gives the offset, which the session keeps for every later request.
/// </summary>
internal sealed class ClockCorrection
{
    /// <summary>How far the server's time must be from the signing time for a correction: the AWS SDKs' 4 minutes.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMinutes(4);

    // "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125100Z - 15 min.)": the server's now.
    private static readonly Regex ServerTimeInMessage = new(@"\((\d{8}T\d{6}Z) [+-] \d+ min\.\)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex SkewText = new(
        "Signature expired|Signature not yet current|skew|clock", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));

    private readonly Func<DateTimeOffset> _utcNow;
    private long _offsetTicks;

    public ClockCorrection(Func<DateTimeOffset> utcNow) => _utcNow = utcNow;

    /// <summary>Server time minus machine time, as last learnt; zero until a clock-skew error.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>The time to sign a request with: the machine's clock corrected by <see cref="Offset"/>.</summary>
    public DateTimeOffset Now => _utcNow() + Offset;

    /// <summary>
    /// True for an error that blames the request's time: RequestTimeTooSkewed, RequestExpired, RequestInTheFuture, and
    /// the signature errors (InvalidSignatureException, SignatureDoesNotMatch, AuthFailure) whose message says so.
    /// </summary>
    public static bool IsClockSkewError(string code, string message) => code switch
    {
        "RequestTimeTooSkewed" or "RequestExpired" or "RequestInTheFuture" => true,
        "InvalidSignatureException" or "SignatureDoesNotMatch" or "AuthFailure" => SkewText.IsMatch(message),
        _ => false,
    };

    /// <summary>The server's time at the answer: its Date header, else the time its message gives, else null.</summary>
    public static DateTimeOffset? ServerTime(DateTimeOffset? dateHeader, string message)
    {
        if (dateHeader is not null)
        {
            return dateHeader;
        }

        var match = ServerTimeInMessage.Match(message);
        return match.Success
               && DateTimeOffset.TryParseExact(
                   match.Groups[1].Value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
    }

    /// <summary>
    /// Adopts <paramref name="serverTime"/> when it is at least <see cref="Threshold"/> from <paramref name="signedAt"/>;
    /// true when it did, so re-signing can help. A smaller difference is not what the server rejected.
    /// </summary>
    public bool TryCorrect(DateTimeOffset signedAt, DateTimeOffset serverTime)
    {
        if ((serverTime - signedAt).Duration() < Threshold)
        {
            return false;
        }

        Interlocked.Exchange(ref _offsetTicks, (serverTime - _utcNow()).Ticks);
        return true;
    }
}
