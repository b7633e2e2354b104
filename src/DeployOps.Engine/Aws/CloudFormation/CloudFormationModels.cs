using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.CloudFormation;

/// <summary>A stack (<c>Stack</c>).</summary>
public sealed record CfnStack
{
    /// <summary><c>StackId</c>: the stack's ARN (a deleted stack is still described by it).</summary>
    public string StackId { get; init; } = string.Empty;

    /// <summary><c>StackName</c>.</summary>
    public string StackName { get; init; } = string.Empty;

    /// <summary><c>Description</c>.</summary>
    public string? Description { get; init; }

    /// <summary><c>StackStatus</c> (<see cref="CfnStackStatus"/>).</summary>
    public string StackStatus { get; init; } = string.Empty;

    /// <summary><c>StackStatusReason</c>.</summary>
    public string? StackStatusReason { get; init; }

    /// <summary><c>CreationTime</c>.</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary><c>LastUpdatedTime</c>.</summary>
    public DateTimeOffset? LastUpdatedTime { get; init; }

    /// <summary><c>DeletionTime</c>.</summary>
    public DateTimeOffset? DeletionTime { get; init; }

    /// <summary><c>ParentId</c>: the parent's stack id, for a nested stack.</summary>
    public string? ParentId { get; init; }

    /// <summary><c>RootId</c>: the top stack's id, for a nested stack.</summary>
    public string? RootId { get; init; }

    /// <summary><c>DisableRollback</c>.</summary>
    public bool DisableRollback { get; init; }

    /// <summary><c>Parameters</c>: key to value.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    internal static CfnStack Read(XElement e) => new()
    {
        StackId = e.Text("StackId") ?? string.Empty,
        StackName = e.Text("StackName") ?? string.Empty,
        Description = e.Text("Description"),
        StackStatus = e.Text("StackStatus") ?? string.Empty,
        StackStatusReason = e.Text("StackStatusReason"),
        CreationTime = e.Timestamp("CreationTime"),
        LastUpdatedTime = e.Timestamp("LastUpdatedTime"),
        DeletionTime = e.Timestamp("DeletionTime"),
        ParentId = e.Text("ParentId"),
        RootId = e.Text("RootId"),
        DisableRollback = e.Bool("DisableRollback") ?? false,
        Parameters = e.Items("Parameters").Where(p => p.Text("ParameterKey") is not null)
            .GroupBy(p => p.Text("ParameterKey")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Text("ParameterValue") ?? string.Empty, StringComparer.Ordinal),
    };
}

/// <summary>A stack in a listing (<c>StackSummary</c>), deleted stacks included.</summary>
public sealed record CfnStackSummary
{
    /// <summary><c>StackId</c>.</summary>
    public string StackId { get; init; } = string.Empty;

    /// <summary><c>StackName</c>.</summary>
    public string StackName { get; init; } = string.Empty;

    /// <summary><c>StackStatus</c>.</summary>
    public string StackStatus { get; init; } = string.Empty;

    /// <summary><c>CreationTime</c>.</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary><c>DeletionTime</c>.</summary>
    public DateTimeOffset? DeletionTime { get; init; }

    /// <summary><c>ParentId</c>.</summary>
    public string? ParentId { get; init; }

    internal static CfnStackSummary Read(XElement e) => new()
    {
        StackId = e.Text("StackId") ?? string.Empty,
        StackName = e.Text("StackName") ?? string.Empty,
        StackStatus = e.Text("StackStatus") ?? string.Empty,
        CreationTime = e.Timestamp("CreationTime"),
        DeletionTime = e.Timestamp("DeletionTime"),
        ParentId = e.Text("ParentId"),
    };
}

/// <summary>A stack event (<c>StackEvent</c>).</summary>
public sealed record CfnStackEvent
{
    /// <summary><c>EventId</c>: identifies the event (timestamps may not: see ARCHITECTURE.md on the sandbox's timeline).</summary>
    public string EventId { get; init; } = string.Empty;

    /// <summary><c>StackId</c>.</summary>
    public string StackId { get; init; } = string.Empty;

    /// <summary><c>StackName</c>.</summary>
    public string StackName { get; init; } = string.Empty;

    /// <summary><c>LogicalResourceId</c> (the stack's name for the stack's own events).</summary>
    public string LogicalResourceId { get; init; } = string.Empty;

    /// <summary><c>PhysicalResourceId</c>.</summary>
    public string? PhysicalResourceId { get; init; }

    /// <summary><c>ResourceType</c>.</summary>
    public string ResourceType { get; init; } = string.Empty;

    /// <summary><c>Timestamp</c>.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary><c>ResourceStatus</c>.</summary>
    public string ResourceStatus { get; init; } = string.Empty;

    /// <summary><c>ResourceStatusReason</c>.</summary>
    public string? ResourceStatusReason { get; init; }

    /// <summary><c>ResourceProperties</c>: the resolved properties, as JSON text (on IN_PROGRESS events).</summary>
    public string? ResourceProperties { get; init; }

    /// <summary><c>ClientRequestToken</c>.</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>True for the stack's own events (its status), false for a resource's.</summary>
    public bool IsStackEvent => ResourceType == CfnResourceType.Stack && PhysicalResourceId == StackId;

    public override string ToString() => $"{Timestamp:u} {LogicalResourceId} {ResourceStatus}{(ResourceStatusReason is null ? "" : ": " + ResourceStatusReason)}";

    internal static CfnStackEvent Read(XElement e) => new()
    {
        EventId = e.Text("EventId") ?? string.Empty,
        StackId = e.Text("StackId") ?? string.Empty,
        StackName = e.Text("StackName") ?? string.Empty,
        LogicalResourceId = e.Text("LogicalResourceId") ?? string.Empty,
        PhysicalResourceId = e.Text("PhysicalResourceId") is { Length: > 0 } physical ? physical : null,
        ResourceType = e.Text("ResourceType") ?? string.Empty,
        Timestamp = e.Timestamp("Timestamp") ?? DateTimeOffset.MinValue,
        ResourceStatus = e.Text("ResourceStatus") ?? string.Empty,
        ResourceStatusReason = e.Text("ResourceStatusReason"),
        ResourceProperties = e.Text("ResourceProperties"),
        ClientRequestToken = e.Text("ClientRequestToken"),
    };
}

/// <summary>A stack's resource (<c>StackResourceSummary</c> of ListStackResources).</summary>
public sealed record CfnStackResource
{
    /// <summary><c>LogicalResourceId</c>.</summary>
    public string LogicalResourceId { get; init; } = string.Empty;

    /// <summary><c>PhysicalResourceId</c>.</summary>
    public string? PhysicalResourceId { get; init; }

    /// <summary><c>ResourceType</c>.</summary>
    public string ResourceType { get; init; } = string.Empty;

    /// <summary><c>LastUpdatedTimestamp</c>.</summary>
    public DateTimeOffset? LastUpdatedTimestamp { get; init; }

    /// <summary><c>ResourceStatus</c> (<see cref="CfnResourceStatus"/>).</summary>
    public string ResourceStatus { get; init; } = string.Empty;

    /// <summary><c>ResourceStatusReason</c>.</summary>
    public string? ResourceStatusReason { get; init; }

    internal static CfnStackResource Read(XElement e) => new()
    {
        LogicalResourceId = e.Text("LogicalResourceId") ?? string.Empty,
        PhysicalResourceId = e.Text("PhysicalResourceId") is { Length: > 0 } physical ? physical : null,
        ResourceType = e.Text("ResourceType") ?? string.Empty,
        LastUpdatedTimestamp = e.Timestamp("LastUpdatedTimestamp"),
        ResourceStatus = e.Text("ResourceStatus") ?? string.Empty,
        ResourceStatusReason = e.Text("ResourceStatusReason"),
    };
}
