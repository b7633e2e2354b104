using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DeployOps.Sandbox.Scenarios;

/// <summary>The CloudFormation and RDS keys of a scenario: <c>stacks</c>, <c>databases</c>, and the templates they use.</summary>
public static partial class ScenarioReader
{
    /// <summary>The folder of CloudFormation templates, below the scenarios folder.</summary>
    public const string TemplatesFolder = "templates";

    /// <summary>Every template of <c>scenarios/templates/</c> (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>) by file name without extension.</summary>
    private static Dictionary<string, string> ReadTemplates(string directory)
    {
        var folder = Path.Combine(directory, TemplatesFolder);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder).Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
                .ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private static StackDefinition ReadStack(string name, ScenarioNode node)
    {
        node.AllowOnly("template", "parameters", "createdMinutesAgo", "disableRollback", "updates", "deletedMinutesAgo", "resources", "history");
        var history = node["history"];
        history?.AllowOnly("deployments", "hoursApart", "jitter", "seed");
        return new StackDefinition
        {
            Name = name,
            Template = node["template"]?.AsString("the name of a template in scenarios/templates"),
            Parameters = Strings(node["parameters"]),
            CreatedSecondsAgo = (node["createdMinutesAgo"]?.AsDouble(0, 525600) ?? 0) * 60,
            DisableRollback = node["disableRollback"]?.AsBool() ?? false,
            Updates = (node["updates"]?.AsList("a list of updates") ?? []).Select(update =>
            {
                update.AllowOnly("template", "parameters", "minutesAgo");
                return new StackUpdateDefinition(update["template"]?.AsString("the name of a template in scenarios/templates"), Strings(update["parameters"]),
                    Required(update, "minutesAgo").AsDouble(0, 525600) * 60);
            }).ToList(),
            DeletedSecondsAgo = node["deletedMinutesAgo"]?.AsDouble(0, 525600) * 60,
            Resources = (node["resources"]?.AsMap("a mapping of logical ids to their behaviour") ?? []).ToDictionary(e => e.Key, e => ReadResourceBehaviour(e.Value)),
            History = history is null ? null : new StackHistoryDefinition(
                Required(history, "deployments").AsInt(1, 50),
                history["hoursApart"]?.AsDouble(1, 720) ?? 24,
                history["jitter"]?.AsDouble(0, 0.9) ?? 0.2,
                history["seed"]?.AsInt(0, int.MaxValue) ?? 1),
        };
    }

    private static ResourceBehaviour ReadResourceBehaviour(ScenarioNode node)
    {
        node.AllowOnly("seconds", "stuck", "fails", "logs");
        var actions = new[] { ("create", ResourceActionKind.Create), ("update", ResourceActionKind.Update), ("delete", ResourceActionKind.Delete), ("rollback", ResourceActionKind.Rollback) };
        var stuck = node["stuck"] is { } s ? (s.Scalar is not null ? [s] : s.AsList("create, update, delete or rollback, or a list of them")).Select(a => a.AsEnum(actions)).ToHashSet() : [];
        var fails = node["fails"];
        fails?.AllowOnly("create", "update", "delete", "rollback");
        return new ResourceBehaviour
        {
            Seconds = node["seconds"]?.AsDouble(0, 86400),
            Stuck = stuck,
            Failures = (fails?.AsMap() ?? []).ToDictionary(e => actions.First(a => a.Item1 == e.Key).Item2, e => e.Value.AsString("CloudFormation's status reason")),
            FunctionLogs = Lines(node["logs"]),
        };
    }

    private static DatabaseBehaviour ReadDatabase(string identifier, ScenarioNode node)
    {
        node.AllowOnly("createMinutes", "stuck", "fails", "events");
        return new DatabaseBehaviour
        {
            Identifier = identifier,
            CreateSeconds = (node["createMinutes"]?.AsDouble(0, 1440) ?? 15) * 60,
            Stuck = node["stuck"]?.AsBool() ?? false,
            FailureReason = node["fails"]?.AsString("the event message RDS fails the instance with"),
            Events = (node["events"]?.AsList("a list of events") ?? []).Select(e =>
            {
                e.AllowOnly("afterMinutes", "message", "category");
                return new ScriptedDatabaseEvent(Required(e, "afterMinutes").AsDouble(0, 1440) * 60, Required(e, "message").AsString(), e["category"]?.AsString() ?? "notification");
            }).ToList(),
        };
    }

    private static Dictionary<string, string> Strings(ScenarioNode? node) =>
        (node?.AsMap("a mapping of names to values") ?? []).ToDictionary(e => e.Key, e => e.Value.AsString(), StringComparer.Ordinal);

    /// <summary>Every template a stack names exists, and a stack's past is in order: created, then updated, then deleted.</summary>
    private static void CheckStacks(ScenarioDefinition scenario, ScenarioNode root)
    {
        foreach (var stack in scenario.Stacks)
        {
            var node = root["stacks"]![stack.Name]!;
            foreach (var (template, at) in new[] { (stack.Template, node["template"]) }.Concat(stack.Updates.Select(u => (u.Template, node["updates"]))))
            {
                if (template is not null && !scenario.Templates.ContainsKey(template))
                {
                    throw ScenarioException.At((at ?? node).Position,
                        $"stacks.{stack.Name}: '{template}' is not a template in scenarios/{TemplatesFolder} (known: {string.Join(", ", scenario.Templates.Keys.Order(StringComparer.Ordinal))}).");
                }
            }

            if (stack.Template is null && (stack.Updates.Count > 0 || stack.DeletedSecondsAgo is not null || stack.History is not null))
            {
                throw node.Expected("a 'template' for a stack with updates, a deletion or a history");
            }

            var times = new[] { stack.CreatedSecondsAgo }.Concat(stack.Updates.Select(u => u.SecondsAgo)).Concat(stack.DeletedSecondsAgo is { } d ? [d] : []).ToList();
            if (times.Zip(times.Skip(1)).Any(pair => pair.Second >= pair.First))
            {
                throw ScenarioException.At(node.Position, $"stacks.{stack.Name}: the past must be in order: createdMinutesAgo, then each update's minutesAgo, then deletedMinutesAgo, each fewer minutes ago than the one before.");
            }
        }
    }
}
