using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DeployOps.Sandbox.Scenarios;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>CloudFormation's stack and resource statuses the simulator uses, and what they mean.</summary>
public static class StackStatus
{
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateFailed = "CREATE_FAILED";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string RollbackInProgress = "ROLLBACK_IN_PROGRESS";
    public const string RollbackFailed = "ROLLBACK_FAILED";
    public const string RollbackComplete = "ROLLBACK_COMPLETE";
    public const string DeleteInProgress = "DELETE_IN_PROGRESS";
    public const string DeleteFailed = "DELETE_FAILED";
    public const string DeleteComplete = "DELETE_COMPLETE";
    public const string DeleteSkipped = "DELETE_SKIPPED";
    public const string UpdateInProgress = "UPDATE_IN_PROGRESS";
    public const string UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string UpdateFailed = "UPDATE_FAILED";
    public const string UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS";
    public const string UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED";
    public const string UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE";

    /// <summary>The statuses UpdateStack accepts.</summary>
    public static readonly IReadOnlySet<string> Updatable = new HashSet<string> { CreateComplete, UpdateComplete, UpdateRollbackComplete };
}

/// <summary>One stack event, at a world time (reported on the world timeline).</summary>
public sealed record StackEvent(
    string EventId,
    string StackId,
    string StackName,
    string LogicalId,
    string? PhysicalId,
    string Type,
    double At,
    string Status,
    string? Reason,
    string? Properties,
    string? ClientRequestToken);

/// <summary>A resource of a stack: what CloudFormation reports, and what an update in progress must be able to undo.</summary>
public sealed class StackResource
{
    public StackResource(string logicalId, string type)
    {
        LogicalId = logicalId;
        Type = type;
    }

    public string LogicalId { get; }

    public string Type { get; set; }

    public string? PhysicalId { get; set; }

    public string Status { get; set; } = "";

    public string? Reason { get; set; }

    public double UpdatedAt { get; set; }

    /// <summary>The properties as last applied (resolved), or null before its creation began.</summary>
    public JsonObject? Properties { get; set; }

    /// <summary>What Fn::GetAtt gives, besides the physical id.</summary>
    public Dictionary<string, JsonNode> Attributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The state before the update in progress touched it (what a rollback restores); null when untouched.</summary>
    public ResourceState? BeforeUpdate { get; set; }

    /// <summary>The physical resource a replacement made, kept until the update is cleaned up or rolled back.</summary>
    public ResourceState? Replacement { get; set; }

    /// <summary>True when its rollback failed: the only resources ContinueUpdateRollback may skip.</summary>
    public bool RollbackFailed { get; set; }

    /// <summary>True when the update in progress created it (a rollback deletes it).</summary>
    public bool CreatedByUpdate { get; set; }

    /// <summary>The ECS deployment the last create or update started (a service's completion follows it).</summary>
    public string? DeploymentId { get; set; }

    /// <summary>Exists now (created, and not deleted).</summary>
    public bool Exists => Status.Length > 0 && Status != StackStatus.DeleteComplete && Status != StackStatus.DeleteSkipped && !(Status == StackStatus.CreateFailed && PhysicalId is null);

    /// <summary>The physical resource, its properties and attributes as a unit (what a replacement swaps).</summary>
    public ResourceState State => new(PhysicalId, Properties, new Dictionary<string, JsonNode>(Attributes, StringComparer.Ordinal));

    public void Restore(ResourceState state)
    {
        PhysicalId = state.PhysicalId;
        Properties = state.Properties;
        Attributes = new Dictionary<string, JsonNode>(state.Attributes, StringComparer.Ordinal);
    }
}

/// <summary>A physical resource: its id, properties and attributes.</summary>
public sealed record ResourceState(string? PhysicalId, JsonObject? Properties, IReadOnlyDictionary<string, JsonNode> Attributes);

/// <summary>A stack: its status, template, parameters, resources, events and the operation under way.</summary>
public sealed class SimulatedStack
{
    private static readonly char[] IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray();

    public SimulatedStack(string id, string name, string region, StackTemplate template, IReadOnlyDictionary<string, string> parameters, double createdAt, StackBehaviour behaviour, Random random)
    {
        Id = id;
        Name = name;
        Region = region;
        Template = template;
        Parameters = parameters;
        CreatedAt = createdAt;
        Behaviour = behaviour;
        Random = random;
    }

    public string Id { get; }

    public string Name { get; }

    public string Region { get; }

    /// <summary>The parent stack's id for a nested stack.</summary>
    public string? ParentId { get; init; }

    /// <summary>The root stack's id for a nested stack.</summary>
    public string? RootId { get; init; }

    /// <summary>The nested stack's logical id in its parent.</summary>
    public string? LogicalIdInParent { get; init; }

    public string Status { get; set; } = StackStatus.CreateInProgress;

    public string? StatusReason { get; set; }

    public double CreatedAt { get; }

    public double? LastUpdatedAt { get; set; }

    public double? DeletedAt { get; set; }

    public StackTemplate Template { get; set; }

    public IReadOnlyDictionary<string, string> Parameters { get; set; }

    /// <summary>The template and parameters before the update in progress (what its rollback goes back to).</summary>
    public (StackTemplate Template, IReadOnlyDictionary<string, string> Parameters)? BeforeUpdate { get; set; }

    public bool DisableRollback { get; init; }

    /// <summary>CreateStack's OnFailure: ROLLBACK, DELETE or DO_NOTHING.</summary>
    public string OnFailure { get; init; } = "ROLLBACK";

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    public Dictionary<string, StackResource> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>Events, oldest first.</summary>
    public List<StackEvent> Events { get; } = [];

    public StackOperation? Operation { get; set; }

    /// <summary>A past incarnation kept for its events only (a scenario's history): nothing is created in moto or the world.</summary>
    public bool RecordOnly { get; init; }

    /// <summary>True while the scenario loader replays the stack's past: the world's steps leave it alone.</summary>
    public bool Replaying { get; set; }

    /// <summary>How its resources behave (the scenario's <c>stacks.NAME.resources</c>).</summary>
    public StackBehaviour Behaviour { get; set; }

    public Random Random { get; }

    /// <summary>API operations the stack accepted (create, update, delete, cancel, continue): what -WhatIf tests count.</summary>
    public int OperationsAccepted { get; set; }

    /// <summary>ClientRequestTokens already acted on, by operation: a retry with the same token is not applied twice.</summary>
    public HashSet<(string Operation, string Token)> Tokens { get; } = [];

    public bool IsDeleted => Status == StackStatus.DeleteComplete;

    /// <summary>Adds an event at world time <paramref name="at"/> and returns it.</summary>
    public StackEvent AddEvent(string logicalId, string? physicalId, string type, double at, string status, string? reason, string? properties = null)
    {
        var id = logicalId == Name && type == "AWS::CloudFormation::Stack" ? Guid.NewGuid().ToString() : $"{logicalId}-{status}-{NewSuffix(20)}";
        var stackEvent = new StackEvent(id, Id, Name, logicalId, physicalId, type, at, status, reason, properties, Operation?.ClientRequestToken);
        Events.Add(stackEvent);
        return stackEvent;
    }

    /// <summary>Sets the stack's status and records the stack event.</summary>
    public void SetStatus(string status, string? reason, double at)
    {
        Status = status;
        StatusReason = reason;
        AddEvent(Name, Id, "AWS::CloudFormation::Stack", at, status, reason);
    }

    /// <summary>A random suffix of CloudFormation's alphabet (names of created resources end with one).</summary>
    public string NewSuffix(int length) => new(Enumerable.Range(0, length).Select(_ => IdAlphabet[Random.Next(IdAlphabet.Length)]).ToArray());
}

/// <summary>How a stack's resources behave, by logical id (the scenario's <c>stacks.NAME.resources</c>).</summary>
public sealed record StackBehaviour(IReadOnlyDictionary<string, ResourceBehaviour> Resources)
{
    public static StackBehaviour None { get; } = new(new Dictionary<string, ResourceBehaviour>());

    public ResourceBehaviour For(string logicalId) => Resources.GetValueOrDefault(logicalId) ?? ResourceBehaviour.Default;
}
