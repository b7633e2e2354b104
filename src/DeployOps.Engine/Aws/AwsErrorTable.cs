using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace DeployOps.Aws;

/// <summary>
/// One line of a service's error table: an error code (exact, or a pattern for families such as RDS's
/// <c>...NotFoundFault</c>), optionally a pattern its message must match (for generic codes such as CloudFormation's
/// <c>ValidationError</c>), what kind of failure it is, and the DeployOps error id it should be reported with.
/// </summary>
public sealed class AwsErrorRule
{
    private readonly string? _code;
    private readonly Regex? _codePattern;
    private readonly Regex? _messagePattern;

    private AwsErrorRule(string? code, Regex? codePattern, Regex? messagePattern, AwsErrorClassification classification, string? errorId)
    {
        _code = code;
        _codePattern = codePattern;
        _messagePattern = messagePattern;
        Classification = classification;
        ErrorId = errorId;
    }

    /// <summary>What kind of failure a matching error is.</summary>
    public AwsErrorClassification Classification { get; }

    /// <summary>The DeployOps error id (<c>DeployOps.Errors.ErrorIds</c>) a matching error is reported with; null for the kind's default.</summary>
    public string? ErrorId { get; }

    /// <summary>An exact error code.</summary>
    public static AwsErrorRule ForCode(string code, AwsErrorClassification classification, string? errorId = null) =>
        new(code, null, null, classification, errorId);

    /// <summary>Every code matching <paramref name="codePattern"/> (a regular expression), e.g. <c>NotFound(Fault)?$</c>.</summary>
    public static AwsErrorRule ForCodes(string codePattern, AwsErrorClassification classification, string? errorId = null) =>
        new(null, Compile(codePattern), null, classification, errorId);

    /// <summary>An exact code whose message matches <paramref name="messagePattern"/> (a regular expression, case-insensitive).</summary>
    public static AwsErrorRule ForMessage(string code, string messagePattern, AwsErrorClassification classification, string? errorId = null) =>
        new(code, null, Compile(messagePattern), classification, errorId);

    /// <summary>True when <paramref name="code"/> and <paramref name="message"/> match this rule.</summary>
    public bool Matches(string code, string? message) =>
        (_code is null ? _codePattern!.IsMatch(code) : string.Equals(_code, code, StringComparison.Ordinal))
        && (_messagePattern is null || (message is not null && _messagePattern.IsMatch(message)));

    /// <summary>The rule as written, e.g. <c>ValidationError /does not exist/ -&gt; NotFound (StackNotFound)</c>.</summary>
    public override string ToString() =>
        (_code ?? "/" + _codePattern + "/")
        + (_messagePattern is null ? string.Empty : " /" + _messagePattern + "/")
        + " -> " + Classification
        + (ErrorId is null ? string.Empty : " (" + ErrorId + ")");

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
}

/// <summary>
/// What a service's error codes mean, first match wins: write message rules above the plain rule for the same code.
/// Build it with a collection initializer:
/// <code>new AwsErrorTable { { "ClusterNotFoundException", AwsErrorClassification.NotFound, ErrorIds.ClusterNotFound } }</code>
/// </summary>
public sealed class AwsErrorTable : IEnumerable<AwsErrorRule>
{
    private readonly List<AwsErrorRule> _rules = new();

    /// <summary>A table with no rules: every code falls to <see cref="AwsCommonErrors"/>.</summary>
    public static AwsErrorTable Empty { get; } = new();

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<AwsErrorRule> Rules => _rules;

    /// <summary>Adds an exact code.</summary>
    public void Add(string code, AwsErrorClassification classification, string? errorId = null) =>
        _rules.Add(AwsErrorRule.ForCode(code, classification, errorId));

    /// <summary>Adds a rule made with <see cref="AwsErrorRule.ForCodes"/> or <see cref="AwsErrorRule.ForMessage"/>.</summary>
    public void Add(AwsErrorRule rule) => _rules.Add(rule);

    /// <summary>The first rule matching <paramref name="code"/> and <paramref name="message"/>, or null.</summary>
    public AwsErrorRule? Match(string code, string? message)
    {
        foreach (var rule in _rules)
        {
            if (rule.Matches(code, message))
            {
                return rule;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public IEnumerator<AwsErrorRule> GetEnumerator() => _rules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
