using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;

namespace DeployOps.Commands;

/// <summary>
/// [ValidateNotNullOrEmpty] for an optional parameter that binds by property name: an empty string, an empty list or a
/// list with an empty item is refused with PowerShell's own message, but null is let through. A DeployOps report piped
/// in carries null for what it did not have (a report's Service when no service was named), and that means "not given",
/// not a bad value.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateNotEmptyAttribute : ValidateArgumentsAttribute
{
    /// <summary>The messages of PowerShell's [ValidateNotNullOrEmpty] for a value and a list, so an empty one reads the same as before.</summary>
    public const string EmptyMessage = "The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.";

    public const string EmptyListMessage = "The argument is null, empty, or an element of the argument collection contains a null value. " +
                                           "Supply a collection that does not contain any null values and then try the command again.";

    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (Unwrapped(arguments) is { } value && IsEmpty(value))
        {
            throw new ValidationMetadataException(value is string ? EmptyMessage : EmptyListMessage);
        }
    }

    private static bool IsEmpty(object value) => value switch
    {
        string text => text.Length == 0,
        IEnumerable items => !items.Cast<object?>().Any() || items.Cast<object?>().Select(Unwrapped).Any(item => item is null or string { Length: 0 }),
        _ => false,
    };

    private static object? Unwrapped(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
