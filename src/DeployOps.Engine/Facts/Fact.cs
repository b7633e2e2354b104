using System;

namespace DeployOps.Facts;

/// <summary>
/// What a fact reader learned about one item: its value, that it does not exist (AWS said so: a definite answer), or a
/// <see cref="Facts.Gap"/> (it could not be read).
/// </summary>
public sealed class Fact<T>
{
    private readonly T? _value;

    private Fact(T? value, bool absent, Gap? gap)
    {
        _value = value;
        Absent = absent;
        Gap = gap;
    }

    /// <summary>True when the item was read and exists.</summary>
    public bool IsRead => !Absent && Gap is null;

    /// <summary>True when AWS answered that the item does not exist.</summary>
    public bool Absent { get; }

    /// <summary>Why the item could not be read, or null.</summary>
    public Gap? Gap { get; }

    /// <summary>The value; only when <see cref="IsRead"/>.</summary>
    public T Value => IsRead ? _value! : throw new InvalidOperationException($"No value: the fact is {(Absent ? "absent" : Gap!.ToString())}.");

    /// <summary>The value, or <paramref name="otherwise"/> when the item is absent or unread.</summary>
    public T? ValueOr(T? otherwise) => IsRead ? _value : otherwise;

    public static Fact<T> Of(T value) => new(value, false, null);

    public static Fact<T> NotFound() => new(default, true, null);

    public static Fact<T> Unread(Gap gap) => new(default, false, gap ?? throw new ArgumentNullException(nameof(gap)));

    /// <summary>The same state with the value transformed.</summary>
    public Fact<TResult> Select<TResult>(Func<T, TResult> map) =>
        IsRead ? Fact<TResult>.Of(map(_value!)) : Absent ? Fact<TResult>.NotFound() : Fact<TResult>.Unread(Gap!);

    public override string ToString() => IsRead ? $"{_value}" : Absent ? "(absent)" : Gap!.ToString();
}
