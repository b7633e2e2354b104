using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace DeployOps.Aws.Protocols;

/// <summary>
/// The members of a request, in the names the service model uses, independent of the wire protocol: the JSON
/// client writes them as an object, the query client flattens them into form fields. Null values are left out,
/// so optional members can be added unconditionally. Use with a collection initializer:
/// <code>new AwsParameters { { "cluster", cluster }, { "services", names } }</code>
/// </summary>
public sealed class AwsParameters : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _members = new();

    /// <summary>True when no member was added.</summary>
    public bool IsEmpty => _members.Count == 0;

    /// <summary>Adds a string member.</summary>
    public void Add(string name, string? value) => AddValue(name, value);

    /// <summary>Adds an integer member.</summary>
    public void Add(string name, int? value) => AddValue(name, value);

    /// <summary>Adds a long member (e.g. epoch milliseconds).</summary>
    public void Add(string name, long? value) => AddValue(name, value);

    /// <summary>Adds a boolean member.</summary>
    public void Add(string name, bool? value) => AddValue(name, value);

    /// <summary>Adds a double member (CloudWatch values and statistics); NaN and the infinities are written as the protocols spell them.</summary>
    public void Add(string name, double? value) => AddValue(name, value);

    /// <summary>
    /// Adds a timestamp member, written in the protocol's default form (JSON: epoch seconds; query: ISO 8601) unless the
    /// model gives the member its own <c>timestampFormat</c>.
    /// </summary>
    public void Add(string name, DateTimeOffset? value, AwsTimestampFormat? format = null) =>
        AddValue(name, value is null ? null : new AwsTimestampValue(value.Value, format));

    /// <summary>Adds a list of doubles; a null list is left out, an empty one is sent.</summary>
    public void Add(string name, IEnumerable<double>? values) => AddValue(name, values?.Cast<object>().ToList());

    /// <summary>Adds a list of strings; a null list is left out, an empty one is sent.</summary>
    public void Add(string name, IEnumerable<string>? values) => AddValue(name, values?.ToList());

    /// <summary>Adds a nested structure; null or empty is left out.</summary>
    public void Add(string name, AwsParameters? structure) => AddValue(name, structure is { IsEmpty: false } ? structure : null);

    /// <summary>Adds a list of structures; a null list is left out.</summary>
    public void Add(string name, IEnumerable<AwsParameters>? structures) => AddValue(name, structures?.ToList());

    /// <summary>A copy of these members without <paramref name="name"/>; the pager replaces token and page size so.</summary>
    public AwsParameters Without(string name)
    {
        var copy = new AwsParameters();
        copy._members.AddRange(_members.Where(member => member.Key != name));
        return copy;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _members.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void AddValue(string name, object? value)
    {
        if (value is not null)
        {
            _members.Add(new KeyValuePair<string, object>(name, value));
        }
    }
}
