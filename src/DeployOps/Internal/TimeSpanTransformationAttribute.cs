using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DeployOps.Commands;

/// <summary>
/// Lets a TimeSpan parameter (-Since) take the aws CLI's spans, <c>30m</c>, <c>2h</c>, <c>45s</c>, <c>1d</c>, <c>1w</c>,
/// besides a TimeSpan or its text (<c>00:30:00</c>). A bare number is refused: PowerShell would read it as ticks.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TimeSpanTransformationAttribute : ArgumentTransformationAttribute
{
    private static readonly Regex Span = new(@"^\s*(?<amount>\d+(\.\d+)?)\s*(?<unit>s|m|h|d|w)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex BareNumber = new(@"^\s*\d+(\.\d+)?\s*$", RegexOptions.CultureInvariant);

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case string text when Span.Match(text) is { Success: true } match:
                var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
                return match.Groups["unit"].Value.ToLowerInvariant() switch
                {
                    "s" => TimeSpan.FromSeconds(amount),
                    "m" => TimeSpan.FromMinutes(amount),
                    "h" => TimeSpan.FromHours(amount),
                    "d" => TimeSpan.FromDays(amount),
                    _ => TimeSpan.FromDays(7 * amount),
                };
            // PowerShell 7 reads 45s and 1d as number literals with a type suffix (short, decimal) before any transformation
            // sees the text: they can only have been written as seconds and days. (Windows PowerShell passes the text.)
            case short seconds:
                return TimeSpan.FromSeconds(seconds);
            case decimal days:
                return TimeSpan.FromDays((double)days);
            case byte or sbyte or ushort or int or uint or long or ulong or double or float:
                throw NoUnit(value);
            case string text when BareNumber.IsMatch(text):
                throw NoUnit(text);
            case string text when !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out _):
                throw new ArgumentTransformationMetadataException($"'{text}' is not a span: give one such as 30m, 2h, 45s, 1d, 1w, or 00:30:00.");
            default:
                return inputData;
        }
    }

    private static ArgumentTransformationMetadataException NoUnit(object value) =>
        new($"'{value}' has no unit: give a span such as 30m, 2h, 45s, 1d, or 00:30:00 (a bare number would be read as ticks).");
}
