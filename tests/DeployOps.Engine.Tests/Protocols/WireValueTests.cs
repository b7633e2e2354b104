using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using DeployOps.Aws.CloudWatch;
using DeployOps.Aws.Protocols;
using Xunit;

namespace DeployOps.Engine.Tests.Protocols;

/// <summary>
/// Timestamps and doubles in requests and responses, in every form botocore allows: <c>timestampFormat</c> iso8601,
/// unixTimestamp and rfc822; doubles with fractions, exponents and the non-finite values the protocols spell out.
/// </summary>
public sealed class WireValueTests
{
    private static readonly DateTimeOffset Noon = new(2024, 1, 31, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NoonAndAQuarter = Noon.AddMilliseconds(250);

    [Theory]
    [InlineData(AwsTimestampFormat.Iso8601, false, "2024-01-31T12:00:00Z")]
    [InlineData(AwsTimestampFormat.Iso8601, true, "2024-01-31T12:00:00.250Z")]
    [InlineData(AwsTimestampFormat.UnixTimestamp, false, "1706702400")]
    [InlineData(AwsTimestampFormat.UnixTimestamp, true, "1706702400.25")]
    [InlineData(AwsTimestampFormat.Rfc822, false, "Wed, 31 Jan 2024 12:00:00 GMT")]
    [InlineData(AwsTimestampFormat.Rfc822, true, "Wed, 31 Jan 2024 12:00:00 GMT")]
    public void TimestampsAreWrittenLikeBotocore(AwsTimestampFormat format, bool fraction, string expected) =>
        Assert.Equal(expected, AwsWireValues.FormatTimestamp(fraction ? NoonAndAQuarter : Noon, format));

    [Fact]
    public void AnOffsetTimestampIsWrittenInUtc() =>
        Assert.Equal("2024-01-31T12:00:00Z", AwsWireValues.FormatTimestamp(new DateTimeOffset(2024, 1, 31, 13, 0, 0, TimeSpan.FromHours(1)), AwsTimestampFormat.Iso8601));

    [Theory]
    [InlineData("2024-01-31T12:00:00Z", AwsTimestampFormat.Iso8601, false)]
    [InlineData("2024-01-31T12:00:00.250Z", AwsTimestampFormat.Iso8601, true)]
    [InlineData("2024-01-31T12:00:00.250000Z", AwsTimestampFormat.Iso8601, true)]
    [InlineData("2024-01-31T13:00:00.25+01:00", AwsTimestampFormat.Iso8601, true)]
    [InlineData("1706702400.25", AwsTimestampFormat.UnixTimestamp, true)]
    [InlineData("1706702400", AwsTimestampFormat.UnixTimestamp, false)]
    [InlineData("Wed, 31 Jan 2024 12:00:00 GMT", AwsTimestampFormat.Rfc822, false)]
    public void TimestampsAreReadInEachFormat(string text, AwsTimestampFormat format, bool fraction) =>
        Assert.Equal(fraction ? NoonAndAQuarter : Noon, AwsWireValues.ParseTimestamp(text, format));

    [Fact]
    public void ATimestampInAnotherFormatThanTheModelsIsStillReadAsBotocoreDoes() =>
        Assert.Equal(Noon, AwsWireValues.ParseTimestamp("Wed, 31 Jan 2024 12:00:00 GMT", AwsTimestampFormat.Iso8601));

    [Fact]
    public void TextThatIsNoTimestampIsAnUnreadableValue() =>
        Assert.Contains("'soon' is not a timestamp", Assert.Throws<InvalidDataException>(() => AwsWireValues.ParseTimestamp("soon")).Message);

    [Theory]
    [InlineData(0.25, "0.25")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(123456789.125, "123456789.125")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void DoublesRoundTripThroughTheirWireText(double value, string text)
    {
        Assert.Equal(text, AwsWireValues.FormatDouble(value));
        Assert.Equal(value, AwsWireValues.ParseDouble(text));
    }

    [Fact]
    public void QueryRequestsWriteTimestampsAsIso8601AndDoublesAsText()
    {
        var parameters = new AwsParameters
        {
            { "StartTime", Noon },
            { "EndTime", NoonAndAQuarter },
            { "Expires", Noon, AwsTimestampFormat.UnixTimestamp },
            { "Value", 2.5 },
            { "Values", new[] { 0.5, double.NaN } },
        };

        var fields = AwsQueryClient.Flatten(CloudWatchApi.Description, "PutMetricData", parameters);

        Assert.Equal(
            new[] { "StartTime=2024-01-31T12:00:00Z", "EndTime=2024-01-31T12:00:00.250Z", "Expires=1706702400", "Value=2.5", "Values.member.1=0.5", "Values.member.2=NaN" },
            fields.Skip(2).Select(f => f.Key + "=" + f.Value));
    }

    [Fact]
    public void JsonRequestsWriteTimestampsAsEpochSecondsAndNonFiniteDoublesAsStrings()
    {
        var parameters = new AwsParameters
        {
            { "startTime", NoonAndAQuarter },
            { "endTime", Noon },
            { "createdAfter", Noon, AwsTimestampFormat.Iso8601 },
            { "threshold", 0.75 },
            { "values", new[] { 1.5, double.PositiveInfinity } },
        };

        var json = Encoding.UTF8.GetString(AwsJsonClient.Serialize(parameters));

        Assert.Equal(
            "{\"startTime\":1706702400.25,\"endTime\":1706702400,\"createdAfter\":\"2024-01-31T12:00:00Z\",\"threshold\":0.75,\"values\":[1.5,\"Infinity\"]}",
            json);
    }

    [Fact]
    public void JsonResponsesReadEpochSecondsIsoTextAndNonFiniteDoubles()
    {
        using var document = JsonDocument.Parse(
            "{\"createdAt\":1706702400.25,\"whole\":1706702400,\"iso\":\"2024-01-31T12:00:00Z\",\"http\":\"Wed, 31 Jan 2024 12:00:00 GMT\","
            + "\"value\":2.5e3,\"missing\":null,\"values\":[0.5,\"NaN\",\"-Infinity\"]}");
        var root = document.RootElement;

        Assert.Equal(
            (NoonAndAQuarter, Noon, Noon, Noon, (DateTimeOffset?)null),
            (root.Timestamp("createdAt")!.Value, root.Timestamp("whole")!.Value, root.Timestamp("iso", AwsTimestampFormat.Iso8601)!.Value,
                root.Timestamp("http", AwsTimestampFormat.Rfc822)!.Value, root.Timestamp("missing")));
        Assert.Equal((2500.0, (double?)null), (root.Double("value")!.Value, root.Double("missing")));
        Assert.Equal(new[] { 0.5, double.NaN, double.NegativeInfinity }, root.Doubles("values"));
    }

    [Fact]
    public void XmlResponsesReadIso8601TimestampsAndDoubles()
    {
        // GetMetricStatistics' Datapoints and GetMetricData's Timestamps/Values, in CloudWatch's query XML.
        var result = XElement.Parse(
            "<GetMetricDataResult xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><MetricDataResults><member>"
            + "<Timestamps><member>2024-01-31T12:00:00Z</member><member>2024-01-31T12:00:00.250Z</member></Timestamps>"
            + "<Values><member>1.5</member><member>1.0E-4</member><member>Infinity</member></Values>"
            + "<Maximum>42.125</Maximum><Expires>1706702400</Expires></member></MetricDataResults></GetMetricDataResult>");
        var first = result.Items("MetricDataResults").Single();

        Assert.Equal(new[] { Noon, NoonAndAQuarter }, first.Items("Timestamps").Select(t => AwsWireValues.ParseTimestamp(t.Value)));
        Assert.Equal(new[] { 1.5, 1e-4, double.PositiveInfinity }, first.Doubles("Values"));
        Assert.Equal((42.125, Noon), (first.Double("Maximum")!.Value, first.Timestamp("Expires", AwsTimestampFormat.UnixTimestamp)!.Value));
        Assert.Null(first.Double("Minimum"));
    }

    [Fact]
    public void APresentValueThatIsNoNumberIsUnreadableNotNull()
    {
        using var document = JsonDocument.Parse("{\"value\":true}");

        Assert.Throws<InvalidDataException>(() => document.RootElement.Double("value"));
        Assert.Throws<InvalidDataException>(() => XElement.Parse("<R><Maximum>lots</Maximum></R>").Double("Maximum"));
    }
}
