using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Aws.Ecs;
using DeployOps.Deployments;

namespace DeployOps.Facts;

/// <summary>Reads task definitions, each once per run however many services and tasks share it.</summary>
public sealed class TaskDefinitionReader
{
    private readonly AwsFacts _facts;
    private readonly ConcurrentDictionary<string, Lazy<Task<Fact<EcsTaskDefinition>>>> _read = new(StringComparer.Ordinal);

    internal TaskDefinitionReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>
    /// The task definition (family:revision or ARN). Its environment values become known secrets of the run
    /// (<see cref="AwsFacts.Redactor"/>), so no report, log line or message shows them.
    /// </summary>
    public Task<Fact<EcsTaskDefinition>> ReadAsync(string taskDefinition, CancellationToken cancellationToken) =>
        _read.GetOrAdd(taskDefinition, arn => new Lazy<Task<Fact<EcsTaskDefinition>>>(() => _facts.Policy.ReadAsync(
            $"task definition {AwsArn.LastSegment(arn)}", async () =>
            {
                var definition = await _facts.Session.Ecs.DescribeTaskDefinitionAsync(arn, cancellationToken).ConfigureAwait(false);
                _facts.Redactor.AddKnownValues(definition.ContainerDefinitions.SelectMany(c => c.Environment).Select(variable => variable.Value));
                return definition;
            }))).Value;

    /// <summary>
    /// The ACTIVE revisions of <paramref name="family"/>, newest first: ListTaskDefinitions by family prefix (other families
    /// sharing the prefix are dropped), sorted here since not every endpoint honours sort=DESC.
    /// </summary>
    public Task<Fact<IReadOnlyList<RevisionInfo>>> RevisionsAsync(string family, CancellationToken cancellationToken) =>
        _facts.Policy.ReadAsync($"revisions of task definition family {family}", async () =>
        {
            var arns = await _facts.Session.Ecs.ListTaskDefinitionsAsync(family, EcsSortOrder.Descending, EcsTaskDefinitionStatus.Active, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<RevisionInfo>)arns
                .Select(arn => (arn, parsed: RevisionInfo.Parse(arn)))
                .Where(r => r.parsed is { } p && p.Family == family)
                .Select(r => new RevisionInfo(r.arn, r.parsed!.Value.Family, r.parsed.Value.Revision, "ACTIVE"))
                .OrderByDescending(r => r.Revision)
                .ToList();
        });
}
