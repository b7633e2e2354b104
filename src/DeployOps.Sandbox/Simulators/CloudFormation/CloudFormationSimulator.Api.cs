using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using DeployOps.Sandbox.Front;
using DeployOps.Sandbox.World;

namespace DeployOps.Sandbox.Simulators.CloudFormation;

/// <summary>
/// The CloudFormation API the simulator answers, with CloudFormation's validation and its messages
/// (<c>ValidationError</c> "Stack with id X does not exist", "... is in UPDATE_IN_PROGRESS state and can not be updated.",
/// "CancelUpdateStack cannot be called from current stack status"). Every other CloudFormation operation goes to moto,
/// which knows none of these stacks.
/// </summary>
public sealed partial class CloudFormationSimulator
{
    private const int PageSize = 100;

    public override void Register(AwsRoutes routes)
    {
        _routes = routes;
        Answer(routes, "CreateStack", CreateStack);
        Answer(routes, "UpdateStack", UpdateStack);
        Answer(routes, "DeleteStack", DeleteStack);
        Answer(routes, "CancelUpdateStack", CancelUpdateStack);
        Answer(routes, "ContinueUpdateRollback", ContinueUpdateRollback);
        Answer(routes, "DescribeStacks", DescribeStacks);
        Answer(routes, "ListStacks", ListStacks);
        Answer(routes, "DescribeStackEvents", DescribeStackEvents);
        Answer(routes, "DescribeStackResources", DescribeStackResources);
        Answer(routes, "DescribeStackResource", DescribeStackResource);
        Answer(routes, "ListStackResources", ListStackResources);
        Answer(routes, "GetTemplate", GetTemplate);
    }

    /// <summary>Registers a handler that runs under the lock, after the stacks moved to the world's now.</summary>
    private void Answer(AwsRoutes routes, string operation, Func<AwsRequest, AwsResponse> handle) =>
        routes.Answer(Service, operation, (request, _) =>
        {
            lock (Gate)
            {
                Step(World.Clock.Now);
                return Task.FromResult<AwsResponse?>(handle(request));
            }
        });

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]{0,127}$|^arn:[-a-zA-Z0-9:/._+]*$")]
    private static partial Regex StackNamePattern();

    private static AwsResponse Invalid(AwsRequest request, string message) => AwsResponse.Error(request.Protocol!, 400, "ValidationError", message);

    private static AwsResponse NoSuchStack(AwsRequest request, string name, bool withId = false) =>
        Invalid(request, withId ? $"Stack with id {name} does not exist" : $"Stack [{name}] does not exist");

    private static AwsResponse Empty(AwsRequest request) => QueryXml.Response(request.Protocol!, request.Operation);

    /// <summary>CreateStack's and UpdateStack's answer: the stack's id.</summary>
    private static AwsResponse StackIdResponse(AwsRequest request, SimulatedStack stack) =>
        QueryXml.Response(request.Protocol!, request.Operation, new XElement("StackId", stack.Id));

    /// <summary>True when this ClientRequestToken was already acted on (a retry, not applied twice); otherwise the token is remembered.</summary>
    private static bool Repeated(SimulatedStack stack, AwsRequest request)
    {
        var token = request.FormValue("ClientRequestToken");
        return token is not null && !stack.Tokens.Add((request.Operation, token));
    }

    /// <summary>
    /// The live stack a change names (StackName), or null with the answer the change gets instead: ValidationError "does
    /// not exist", or <paramref name="repeatedAnswer"/> for a ClientRequestToken already acted on (a retry is not applied twice).
    /// </summary>
    private SimulatedStack? ChangeTarget(AwsRequest request, Func<SimulatedStack, AwsResponse> repeatedAnswer, out AwsResponse answer)
    {
        var name = request.FormValue("StackName") ?? "";
        if (Find(request.Region, name) is not { IsDeleted: false } stack)
        {
            answer = NoSuchStack(request, name);
            return null;
        }

        if (Repeated(stack, request))
        {
            answer = repeatedAnswer(stack);
            return null;
        }

        answer = Empty(request);
        return stack;
    }

    private AwsResponse CreateStack(AwsRequest request)
    {
        var name = request.FormValue("StackName") ?? "";
        if (!StackNamePattern().IsMatch(name) || name.StartsWith("arn:", StringComparison.Ordinal))
        {
            return Invalid(request, $"1 validation error detected: Value '{name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
        }

        if (Find(request.Region, name) is { } existing)
        {
            return request.FormValue("ClientRequestToken") is { } token && existing.Tokens.Contains(("CreateStack", token))
                ? StackIdResponse(request, existing)
                : AwsResponse.Error(request.Protocol!, 400, "AlreadyExistsException", $"Stack [{name}] already exists");
        }

        if (!TryTemplate(request, null, out var template, out var refused) || !TryParameters(request, template!, null, out var parameters, out refused))
        {
            return refused!;
        }

        var onFailure = request.FormValue("OnFailure") ?? "ROLLBACK";
        var tags = Enumerable.Range(1, 50).Select(i => (Key: request.FormValue($"Tags.member.{i}.Key"), Value: request.FormValue($"Tags.member.{i}.Value")))
            .TakeWhile(t => t.Key is not null).Select(t => new KeyValuePair<string, string>(t.Key!, t.Value ?? "")).ToList();
        var now = World.Clock.Now;
        var stack = NewStack(name, request.Region, template!, parameters!, now, request.FormValue("DisableRollback") == "true", onFailure, tags);
        Repeated(stack, request);
        stack.OperationsAccepted++;
        Begin(stack, OperationKind.Create, now, UserInitiated, request.FormValue("ClientRequestToken"));
        return StackIdResponse(request, stack);
    }

    private AwsResponse UpdateStack(AwsRequest request)
    {
        if (ChangeTarget(request, repeated => StackIdResponse(request, repeated), out var answer) is not { } stack)
        {
            return answer;
        }

        if (!StackStatus.Updatable.Contains(stack.Status))
        {
            return Invalid(request, $"Stack:{stack.Id} is in {stack.Status} state and can not be updated.");
        }

        if (!TryTemplate(request, stack, out var template, out var refused) || !TryParameters(request, template!, stack, out var parameters, out refused))
        {
            return refused!;
        }

        if (template!.Body == stack.Template.Body && parameters!.Count == stack.Parameters.Count && parameters.All(p => stack.Parameters.GetValueOrDefault(p.Key) == p.Value))
        {
            return Invalid(request, "No updates are to be performed.");
        }

        var now = World.Clock.Now;
        stack.BeforeUpdate = (stack.Template, stack.Parameters);
        (stack.Template, stack.Parameters) = (template, parameters!);
        stack.OperationsAccepted++;
        Begin(stack, OperationKind.Update, now, UserInitiated, request.FormValue("ClientRequestToken"));
        return StackIdResponse(request, stack);
    }

    private AwsResponse DeleteStack(AwsRequest request)
    {
        var name = request.FormValue("StackName") ?? "";
        if (Find(request.Region, name) is not { IsDeleted: false } stack || stack.Status == StackStatus.DeleteInProgress || Repeated(stack, request))
        {
            // Deleting a stack that does not exist (or is being deleted) succeeds and does nothing, as on AWS.
            return Empty(request);
        }

        var retain = request.FormList("RetainResources").ToHashSet(StringComparer.Ordinal);
        if (retain.Count > 0 && stack.Status != StackStatus.DeleteFailed)
        {
            return Invalid(request, $"Invalid operation on stack [{stack.Name}]: RetainResources can only be specified when the stack is in DELETE_FAILED state; it is in {stack.Status}.");
        }

        if (retain.FirstOrDefault(r => !stack.Resources.ContainsKey(r)) is { } unknown)
        {
            return Invalid(request, $"Resource [{unknown}] to retain does not exist in stack [{stack.Name}].");
        }

        var now = World.Clock.Now;
        if (stack.Status == StackStatus.CreateInProgress && stack.Operation is { } creating)
        {
            // The way out of a stuck create: what is being created is cancelled, then everything made so far is deleted.
            CancelRunning(stack, creating, now);
            stack.Operation = null;
        }
        else if (stack.Status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
        {
            return Invalid(request, $"Stack [{stack.Name}] cannot be deleted while in status {stack.Status}");
        }

        stack.OperationsAccepted++;
        Begin(stack, OperationKind.Delete, now, UserInitiated, request.FormValue("ClientRequestToken"), retain);
        return Empty(request);
    }

    private AwsResponse CancelUpdateStack(AwsRequest request)
    {
        if (ChangeTarget(request, _ => Empty(request), out var answer) is not { } stack)
        {
            return answer;
        }

        if (stack.Status != StackStatus.UpdateInProgress || stack.Operation is not { Kind: OperationKind.Update } update)
        {
            return Invalid(request, "CancelUpdateStack cannot be called from current stack status");
        }

        stack.OperationsAccepted++;
        update.Cancelled = true;
        update.Failing = true;
        CancelRunning(stack, update, World.Clock.Now);
        Advance(stack, World.Clock.Now);
        return Empty(request);
    }

    private AwsResponse ContinueUpdateRollback(AwsRequest request)
    {
        if (ChangeTarget(request, _ => Empty(request), out var answer) is not { } stack)
        {
            return answer;
        }

        if (stack.Status != StackStatus.UpdateRollbackFailed)
        {
            return Invalid(request, "ContinueUpdateRollback cannot be called from current stack status");
        }

        var skip = request.FormList("ResourcesToSkip").ToHashSet(StringComparer.Ordinal);
        var skippable = stack.Resources.Values.Where(r => r is { Status: StackStatus.UpdateFailed, RollbackFailed: true }).Select(r => r.LogicalId).ToHashSet(StringComparer.Ordinal);
        var refused = skip.Where(s => !skippable.Contains(s)).Order(StringComparer.Ordinal).ToList();
        if (refused.Count > 0)
        {
            return Invalid(request, $"ResourcesToSkip [{string.Join(", ", refused)}] cannot be skipped: only resources of stack [{stack.Name}] whose rollback failed (UPDATE_FAILED) can be, " +
                                    $"here [{string.Join(", ", skippable.Order(StringComparer.Ordinal))}].");
        }

        stack.OperationsAccepted++;
        Begin(stack, OperationKind.UpdateRollback, World.Clock.Now, UserInitiated, request.FormValue("ClientRequestToken"), skip);
        return QueryXml.Response(request.Protocol!, "ContinueUpdateRollback");
    }

    private AwsResponse DescribeStacks(AwsRequest request)
    {
        List<SimulatedStack> stacks;
        if (request.FormValue("StackName") is { } name)
        {
            if (Find(request.Region, name) is not { } stack)
            {
                return NoSuchStack(request, name, withId: true);
            }

            stacks = [stack];
        }
        else
        {
            stacks = _stacks.Values.Where(s => s.Region == request.Region && !s.IsDeleted && !s.RecordOnly).OrderByDescending(s => s.CreatedAt).ToList();
        }

        var (page, next) = Page(stacks, request.FormValue("NextToken"), s => s.Id);
        return QueryXml.Response(request.Protocol!, "DescribeStacks",
            QueryXml.List("Stacks", page.Select(StackXml)), QueryXml.Text("NextToken", next));
    }

    private AwsResponse ListStacks(AwsRequest request)
    {
        var filter = request.FormList("StackStatusFilter").ToHashSet(StringComparer.Ordinal);
        var stacks = _stacks.Values.Where(s => s.Region == request.Region && (filter.Count == 0 || filter.Contains(s.Status))).OrderByDescending(s => s.CreatedAt).ToList();
        var (page, next) = Page(stacks, request.FormValue("NextToken"), s => s.Id);
        return QueryXml.Response(request.Protocol!, "ListStacks", QueryXml.List("StackSummaries", page.Select(s => new[]
        {
            QueryXml.Text("StackId", s.Id),
            QueryXml.Text("StackName", s.Name),
            QueryXml.Text("TemplateDescription", s.Template.Description),
            QueryXml.Time("CreationTime", World.Clock.Timestamp(s.CreatedAt)),
            QueryXml.Time("LastUpdatedTime", s.LastUpdatedAt is { } u ? World.Clock.Timestamp(u) : null),
            QueryXml.Time("DeletionTime", s.DeletedAt is { } d ? World.Clock.Timestamp(d) : null),
            QueryXml.Text("StackStatus", s.Status),
            QueryXml.Text("StackStatusReason", s.StatusReason),
            QueryXml.Text("ParentId", s.ParentId),
            QueryXml.Text("RootId", s.RootId),
            new XElement("DriftInformation", new XElement("StackDriftStatus", "NOT_CHECKED")),
        })), QueryXml.Text("NextToken", next));
    }

    private AwsResponse DescribeStackEvents(AwsRequest request)
    {
        var name = request.FormValue("StackName") ?? "";
        if (Find(request.Region, name) is not { } stack)
        {
            return NoSuchStack(request, name);
        }

        var newestFirst = stack.Events.AsEnumerable().Reverse().ToList();
        var (page, next) = Page(newestFirst, request.FormValue("NextToken"), e => e.EventId);
        return QueryXml.Response(request.Protocol!, "DescribeStackEvents", QueryXml.List("StackEvents", page.Select(e => new[]
        {
            QueryXml.Text("StackId", e.StackId),
            QueryXml.Text("EventId", e.EventId),
            QueryXml.Text("StackName", e.StackName),
            QueryXml.Text("LogicalResourceId", e.LogicalId),
            QueryXml.Text("PhysicalResourceId", e.PhysicalId ?? ""),
            QueryXml.Text("ResourceType", e.Type),
            QueryXml.Time("Timestamp", World.Clock.Timestamp(e.At)),
            QueryXml.Text("ResourceStatus", e.Status),
            QueryXml.Text("ResourceStatusReason", e.Reason),
            QueryXml.Text("ResourceProperties", e.Properties),
            QueryXml.Text("ClientRequestToken", e.ClientRequestToken),
        })), QueryXml.Text("NextToken", next));
    }

    private AwsResponse DescribeStackResources(AwsRequest request)
    {
        SimulatedStack? stack;
        if (request.FormValue("StackName") is { } name)
        {
            stack = Find(request.Region, name);
            if (stack is null)
            {
                return NoSuchStack(request, name, withId: true);
            }
        }
        else if (request.FormValue("PhysicalResourceId") is { } physical)
        {
            stack = _stacks.Values.FirstOrDefault(s => s.Region == request.Region && !s.IsDeleted && s.Resources.Values.Any(r => r.PhysicalId == physical));
            if (stack is null)
            {
                return Invalid(request, $"Stack for {physical} does not exist");
            }
        }
        else
        {
            return Invalid(request, "Either StackName or PhysicalResourceId must be specified.");
        }

        var logical = request.FormValue("LogicalResourceId");
        return QueryXml.Response(request.Protocol!, "DescribeStackResources", QueryXml.List("StackResources",
            Listed(stack).Where(r => logical is null || r.LogicalId == logical).Select(r => new[]
            {
                QueryXml.Text("StackName", stack.Name),
                QueryXml.Text("StackId", stack.Id),
                QueryXml.Text("LogicalResourceId", r.LogicalId),
                QueryXml.Text("PhysicalResourceId", r.PhysicalId),
                QueryXml.Text("ResourceType", r.Type),
                QueryXml.Time("Timestamp", World.Clock.Timestamp(r.UpdatedAt)),
                QueryXml.Text("ResourceStatus", r.Status),
                QueryXml.Text("ResourceStatusReason", r.Reason),
                new XElement("DriftInformation", new XElement("StackResourceDriftStatus", "NOT_CHECKED")),
            })));
    }

    private AwsResponse DescribeStackResource(AwsRequest request)
    {
        var name = request.FormValue("StackName") ?? "";
        var logical = request.FormValue("LogicalResourceId") ?? "";
        if (Find(request.Region, name) is not { } stack)
        {
            return NoSuchStack(request, name, withId: true);
        }

        if (Listed(stack).FirstOrDefault(r => r.LogicalId == logical) is not { } resource)
        {
            return Invalid(request, $"Resource {logical} does not exist for stack {stack.Name}");
        }

        return QueryXml.Response(request.Protocol!, "DescribeStackResource", new XElement("StackResourceDetail",
            QueryXml.Text("StackName", stack.Name),
            QueryXml.Text("StackId", stack.Id),
            QueryXml.Text("LogicalResourceId", resource.LogicalId),
            QueryXml.Text("PhysicalResourceId", resource.PhysicalId),
            QueryXml.Text("ResourceType", resource.Type),
            QueryXml.Time("LastUpdatedTimestamp", World.Clock.Timestamp(resource.UpdatedAt)),
            QueryXml.Text("ResourceStatus", resource.Status),
            QueryXml.Text("ResourceStatusReason", resource.Reason),
            new XElement("DriftInformation", new XElement("StackResourceDriftStatus", "NOT_CHECKED"))));
    }

    private AwsResponse ListStackResources(AwsRequest request)
    {
        var name = request.FormValue("StackName") ?? "";
        if (Find(request.Region, name) is not { } stack)
        {
            return NoSuchStack(request, name, withId: true);
        }

        var (page, next) = Page(Listed(stack).ToList(), request.FormValue("NextToken"), r => r.LogicalId);
        return QueryXml.Response(request.Protocol!, "ListStackResources", QueryXml.List("StackResourceSummaries", page.Select(r => new[]
        {
            QueryXml.Text("LogicalResourceId", r.LogicalId),
            QueryXml.Text("PhysicalResourceId", r.PhysicalId),
            QueryXml.Text("ResourceType", r.Type),
            QueryXml.Time("LastUpdatedTimestamp", World.Clock.Timestamp(r.UpdatedAt)),
            QueryXml.Text("ResourceStatus", r.Status),
            QueryXml.Text("ResourceStatusReason", r.Reason),
            new XElement("DriftInformation", new XElement("StackResourceDriftStatus", "NOT_CHECKED")),
        })), QueryXml.Text("NextToken", next));
    }

    private AwsResponse GetTemplate(AwsRequest request)
    {
        var name = request.FormValue("StackName") ?? "";
        if (Find(request.Region, name) is not { } stack)
        {
            return NoSuchStack(request, name, withId: true);
        }

        return QueryXml.Response(request.Protocol!, "GetTemplate", new XElement("TemplateBody", stack.Template.Body),
            QueryXml.Strings("StagesAvailable", ["Original", "Processed"]));
    }

    /// <summary>The resources a stack reports: every one an operation began, in the order of its template.</summary>
    private static IEnumerable<StackResource> Listed(SimulatedStack stack) =>
        stack.Resources.Values.Where(r => r.Status.Length > 0).OrderBy(r => r.LogicalId, StringComparer.Ordinal);

    private IEnumerable<XElement?> StackXml(SimulatedStack stack) =>
    [
        QueryXml.Text("StackId", stack.Id),
        QueryXml.Text("StackName", stack.Name),
        QueryXml.Text("Description", stack.Template.Description),
        QueryXml.List("Parameters", stack.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[]
        {
            QueryXml.Text("ParameterKey", p.Key),
            QueryXml.Text("ParameterValue", p.Value),
        })),
        QueryXml.Time("CreationTime", World.Clock.Timestamp(stack.CreatedAt)),
        QueryXml.Time("DeletionTime", stack.DeletedAt is { } deleted ? World.Clock.Timestamp(deleted) : null),
        QueryXml.Time("LastUpdatedTime", stack.LastUpdatedAt is { } updated ? World.Clock.Timestamp(updated) : null),
        new XElement("RollbackConfiguration"),
        QueryXml.Text("StackStatus", stack.Status),
        QueryXml.Text("StackStatusReason", stack.StatusReason),
        QueryXml.Bool("DisableRollback", stack.DisableRollback),
        new XElement("NotificationARNs"),
        QueryXml.List("Tags", stack.Tags.Select(t => new[] { QueryXml.Text("Key", t.Key), QueryXml.Text("Value", t.Value) })),
        QueryXml.Bool("EnableTerminationProtection", false),
        QueryXml.Text("ParentId", stack.ParentId),
        QueryXml.Text("RootId", stack.RootId),
        new XElement("DriftInformation", new XElement("StackDriftStatus", "NOT_CHECKED")),
    ];

    /// <summary>One page of <paramref name="items"/> after the item the token names, and the token of the next page.</summary>
    private static (List<T> Page, string? Next) Page<T>(List<T> items, string? token, Func<T, string> key)
    {
        var start = 0;
        if (token is not null)
        {
            var after = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            start = items.FindIndex(i => key(i) == after) + 1;
        }

        var page = items.Skip(start).Take(PageSize).ToList();
        var next = start + PageSize < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(key(page[^1]))) : null;
        return (page, next);
    }

    /// <summary>The template of a create or update: TemplateBody, TemplateURL (a scenario template, by the URL's file name) or the stack's own.</summary>
    private bool TryTemplate(AwsRequest request, SimulatedStack? stack, out StackTemplate? template, out AwsResponse? refused)
    {
        template = null;
        refused = null;
        string? body;
        if (request.FormValue("UsePreviousTemplate") == "true" && stack is not null)
        {
            body = stack.Template.Body;
        }
        else if (request.FormValue("TemplateBody") is { } given)
        {
            body = given;
        }
        else if (request.FormValue("TemplateURL") is { } url)
        {
            var file = url[(url.LastIndexOf('/') + 1)..];
            var stem = file.Contains('.', StringComparison.Ordinal) ? file[..file.LastIndexOf('.')] : file;
            if (!_templates.TryGetValue(stem, out body))
            {
                refused = Invalid(request, $"TemplateURL must be a supported URL: the sandbox serves the scenario's templates ({string.Join(", ", _templates.Keys.Order(StringComparer.Ordinal))}), not '{url}'.");
                return false;
            }
        }
        else
        {
            refused = Invalid(request, "Either Template URL or Template Body must be specified.");
            return false;
        }

        try
        {
            template = StackTemplate.Parse(body);
            return true;
        }
        catch (TemplateException ex)
        {
            refused = Invalid(request, ex.Message);
            return false;
        }
    }

    /// <summary>The parameters: given, previous (UsePreviousValue), or the template's defaults; every one without a value is an error.</summary>
    private static bool TryParameters(AwsRequest request, StackTemplate template, SimulatedStack? stack, out Dictionary<string, string>? parameters, out AwsResponse? refused)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        refused = null;
        for (var i = 1; request.FormValue($"Parameters.member.{i}.ParameterKey") is { } key; i++)
        {
            if (request.FormValue($"Parameters.member.{i}.UsePreviousValue") == "true" && stack?.Parameters.GetValueOrDefault(key) is { } previous)
            {
                parameters[key] = previous;
            }
            else
            {
                parameters[key] = request.FormValue($"Parameters.member.{i}.ParameterValue") ?? "";
            }
        }

        var given = parameters;
        var unknown = given.Keys.Where(k => !template.Parameters.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            refused = Invalid(request, $"Parameters: [{string.Join(", ", unknown)}] do not exist in the template");
            return false;
        }

        var missing = template.Parameters.Values.Where(p => p.Default is null && !given.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            refused = Invalid(request, $"Parameters: [{string.Join(", ", missing)}] must have values");
            return false;
        }

        return true;
    }
}
