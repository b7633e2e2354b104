using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace DeployOps.Operations;

/// <summary>
/// A read-only list in an output object that prints as its items ("a; b"), never as its type name: Export-Csv,
/// string conversion, and ConvertTo-Json past its -Depth show what the report found. Output types declare their list
/// properties with this type, so a plain List cannot slip in.
/// </summary>
public sealed class PrintableList<T> : ReadOnlyCollection<T>
{
    /// <summary>The empty list.</summary>
    public static readonly PrintableList<T> Empty = new(Array.Empty<T>());

    public PrintableList(IList<T> items)
        : base(items)
    {
    }

    /// <summary>The items' own text, separated by "; ".</summary>
    public override string ToString() => string.Join("; ", this.Select(item => item?.ToString()));
}

/// <summary>Makes <see cref="PrintableList{T}"/>s.</summary>
public static class PrintableList
{
    public static PrintableList<T> ToPrintableList<T>(this IEnumerable<T> items) => new(items.ToList());
}
