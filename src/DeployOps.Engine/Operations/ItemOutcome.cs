using System;
using DeployOps.Errors;

namespace DeployOps.Operations;

/// <summary>The result for one item of a multi-item operation: a value, or the error that item met.</summary>
public sealed class ItemOutcome<T>
    where T : class
{
    private ItemOutcome(T? value, DeployOpsError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DeployOpsError? Error { get; }

    public static ItemOutcome<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static ItemOutcome<T> Failure(DeployOpsError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    public override string ToString() => Error?.ToString() ?? Value!.ToString() ?? "";
}
