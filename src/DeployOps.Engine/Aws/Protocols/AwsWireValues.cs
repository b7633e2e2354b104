using System;
using System.Globalization;
using System.IO;

namespace DeployOps.Aws.Protocols;

/// <summary>A timestamp's wire form, as a botocore shape's <c>timestampFormat</c> names it.</summary>
public enum AwsTimestampFormat
{
    /// <summary><c>iso8601</c>: <c>2024-01-31T12:00:00Z</c>, fractional seconds allowed; the query protocol's default.</summary>
    Iso8601,

    /// <summary><c>unixTimestamp</c>: seconds since 1970 as a number, fractional allowed; the JSON protocol's default.</summary>
    UnixTimestamp,

    /// <summary><c>rfc822</c>: <c>Wed, 31 Jan 2024 12:00:00 GMT</c>; HTTP headers' form.</summary>
    Rfc822,
}

/// <summary>A timestamp request member and the format the model gives it (null: the protocol's default).</summary>
internal readonly record struct AwsTimestampValue(DateTimeOffset Value, AwsTimestampFormat? Format);

/// <summary>Writes and reads timestamps and doubles the way the AWS protocols and botocore do.</summary>
public static class AwsWireValues
{
    private static readonly DateTimeOffset Epoch = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Iso8601Forms =
    {
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    };

    private const string Rfc822Form = "ddd, dd MMM yyyy HH:mm:ss 'GMT'";

    /// <summary>
    /// A timestamp in <paramref name="format"/>, to millisecond precision as Smithy does: <c>2024-01-31T12:00:00Z</c> or
    /// <c>2024-01-31T12:00:00.250Z</c>; <c>1706702400</c> or <c>1706702400.25</c>; <c>Wed, 31 Jan 2024 12:00:00 GMT</c>.
    /// </summary>
    public static string FormatTimestamp(DateTimeOffset value, AwsTimestampFormat format)
    {
        var utc = value.ToUniversalTime();
        var milliseconds = utc.Millisecond;
        return format switch
        {
            AwsTimestampFormat.Iso8601 => utc.ToString(milliseconds == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            AwsTimestampFormat.UnixTimestamp => (utc.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture),
            AwsTimestampFormat.Rfc822 => utc.ToString(Rfc822Form, CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a timestamp format."),
        };
    }

    /// <summary>
    /// Reads a timestamp. <paramref name="expected"/> is the form the model promises, but like botocore's parser this
    /// accepts any of the three (services have been seen to answer in another), and epoch seconds as text.
    /// Throws <see cref="InvalidDataException"/> for text that is none of them.
    /// </summary>
    public static DateTimeOffset ParseTimestamp(string text, AwsTimestampFormat expected = AwsTimestampFormat.Iso8601)
    {
        var trimmed = text.Trim();
        if (decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            return FromEpochSeconds((double)seconds);
        }

        if (DateTimeOffset.TryParseExact(trimmed, Iso8601Forms, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso)
            || DateTimeOffset.TryParseExact(trimmed, Rfc822Form, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out iso)
            || DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out iso))
        {
            return iso.ToUniversalTime();
        }

        throw new InvalidDataException($"'{text}' is not a timestamp ({expected} expected).");
    }

    /// <summary>Epoch seconds, possibly fractional, to the millisecond.</summary>
    public static DateTimeOffset FromEpochSeconds(double seconds) => Epoch.AddMilliseconds(Math.Round(seconds * 1000));

    /// <summary>A double as the wire writes it: shortest round-trip digits, and <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static string FormatDouble(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads a double written by <see cref="FormatDouble"/> (or any invariant number); <see cref="InvalidDataException"/> otherwise.</summary>
    public static double ParseDouble(string text)
    {
        var trimmed = text.Trim();
        return trimmed switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw new InvalidDataException($"'{text}' is not a number."),
        };
    }
}
