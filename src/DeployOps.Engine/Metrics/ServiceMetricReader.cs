using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws;
using DeployOps.Errors;
using DeployOps.Facts;
using DeployOps.Operations;

namespace DeployOps.Metrics;

/// <summary>
/// Get-EcsServiceMetric: services' CPU and memory utilization over a window. The services are described first (a name
/// that is no service is ServiceNotFound, not an empty graph), then one GetMetricData reads every service's six series.
/// </summary>
public sealed class ServiceMetricReader
{
    private readonly AwsFacts _facts;

    public ServiceMetricReader(AwsFacts facts)
    {
        _facts = facts;
    }

    /// <summary>One report per service, or the error a service met; a cluster that cannot be listed is the one outcome.</summary>
    public async Task<IReadOnlyList<ItemOutcome<EcsServiceMetricReport>>> ReadAsync(ServiceMetricRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Cluster))
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.MissingCluster, DeployOpsErrorKind.InvalidArgument,
                $"No cluster to read (the cluster name is '{request.Cluster}'): give -Cluster, or -Environment with a settings file that names one.", request.Cluster));
        }

        if (request.PeriodSeconds < 60 || request.PeriodSeconds % 60 != 0)
        {
            throw new DeployOpsException(new DeployOpsError(ErrorIds.InvalidMetricPeriod, DeployOpsErrorKind.InvalidArgument,
                $"-Period must be 60 seconds or a multiple of 60 (ECS publishes a value a minute); it is {request.PeriodSeconds}.", request.PeriodSeconds));
        }

        var window = request.Window(DateTimeOffset.UtcNow);
        var cluster = AwsArn.LastSegment(request.Cluster);
        try
        {
            var names = request.Services.Count > 0 ? request.Services : await _facts.Services.ListNamesAsync(request.Cluster, cancellationToken).ConfigureAwait(false);
            var lookups = await _facts.Services.DescribeAsync(request.Cluster, names, cancellationToken).ConfigureAwait(false);
            var live = lookups.Where(l => l.Service.IsRead).Select(l => l.Service.Value.Name).ToList();
            var metrics = live.Count == 0
                ? new Dictionary<string, Fact<EcsServiceUtilization>>()
                : await _facts.Metrics.EcsServicesAsync(cluster, live, window.Start, window.End, request.PeriodSeconds, cancellationToken).ConfigureAwait(false);
            return lookups.Select(lookup => lookup.Service.IsRead
                    ? ItemOutcome<EcsServiceMetricReport>.Success(Report(request, cluster, lookup.Service.Value.Name, window, metrics[lookup.Service.Value.Name]))
                    : lookup.Service.Absent
                        ? ItemOutcome<EcsServiceMetricReport>.Failure(lookup.NotFoundError(cluster))
                        : ItemOutcome<EcsServiceMetricReport>.Success(Report(request, cluster, lookup.Name, window, Fact<EcsServiceUtilization>.Unread(lookup.Service.Gap!))))
                .ToList();
        }
        catch (DeployOpsException ex) when (ex.Error.ErrorId == ErrorIds.ClusterNotFound)
        {
            return new[] { ItemOutcome<EcsServiceMetricReport>.Failure(ex.Error) };
        }
        catch (AwsServiceException ex)
        {
            return new[] { ItemOutcome<EcsServiceMetricReport>.Failure(ErrorTranslator.Translate(ex, cluster)) };
        }
        catch (AwsCallException ex)
        {
            throw new DeployOpsException(ErrorTranslator.Translate(ex, cluster));
        }
    }

    private EcsServiceMetricReport Report(ServiceMetricRequest request, string cluster, string service, TimeWindow window, Fact<EcsServiceUtilization> metrics)
    {
        var utilization = metrics.ValueOr(null);
        return new EcsServiceMetricReport
        {
            Cluster = cluster,
            Service = service,
            Environment = request.Environment,
            StartTime = window.Start,
            EndTime = window.End,
            PeriodSeconds = request.PeriodSeconds,
            CpuAverage = utilization?.Cpu.Average,
            CpuMaximum = utilization?.Cpu.Maximum,
            MemoryAverage = utilization?.Memory.Average,
            MemoryMaximum = utilization?.Memory.Maximum,
            Cpu = (utilization?.Cpu.Samples ?? Array.Empty<MetricSample>()).ToPrintableList(),
            Memory = (utilization?.Memory.Samples ?? Array.Empty<MetricSample>()).ToPrintableList(),
            Complete = metrics.Gap is null,
            NotRead = (metrics.Gap is { } gap ? new[] { gap.ToString() } : Array.Empty<string>()).ToPrintableList(),
            Region = _facts.Session.Region.Name,
            EndpointUrl = _facts.Session.EndpointUrl,
            ProfileName = _facts.Session.ProfileName,
        };
    }
}
