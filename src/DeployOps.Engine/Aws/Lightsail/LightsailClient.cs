using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using DeployOps.Aws.Protocols;

namespace DeployOps.Aws.Lightsail;

/// <summary>Amazon Lightsail container services, typed: services, deployments, pushed images, container logs.</summary>
public sealed class LightsailClient
{
    // GetContainerLog pages with pageToken/nextPageToken (the model's members); botocore's paginators-1.json leaves it out,
    // so the entry is declared here in its terms.
    private static readonly AwsOperation GetContainerLogOperation = AwsOperation.Idempotent("GetContainerLog")
        .Paged(AwsPaginator.Of(inputToken: "pageToken", outputToken: "nextPageToken", limitKey: null, "logEvents"));

    private static readonly AwsOperation GetContainerServicesOperation = AwsOperation.Idempotent("GetContainerServices");
    private static readonly AwsOperation GetContainerServiceDeploymentsOperation = AwsOperation.Idempotent("GetContainerServiceDeployments");
    private static readonly AwsOperation GetContainerImagesOperation = AwsOperation.Idempotent("GetContainerImages");

    // Each call starts another deployment: never resent when the outcome is unknown.
    private static readonly AwsOperation CreateContainerServiceDeploymentOperation = AwsOperation.NonIdempotent("CreateContainerServiceDeployment");

    // Sets absolute values (scale, power, isDisabled): safe to send again.
    private static readonly AwsOperation UpdateContainerServiceOperation = AwsOperation.Idempotent("UpdateContainerService");

    internal LightsailClient(AwsJsonClient protocol)
    {
        Protocol = protocol;
    }

    /// <summary>The JSON client underneath, for operations without a typed method.</summary>
    public AwsJsonClient Protocol { get; }

    /// <summary>GetContainerServices: one service (NotFoundException when it does not exist), or every service of the region.</summary>
    public Task<IReadOnlyList<LightsailContainerService>> GetContainerServicesAsync(string? serviceName = null, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(GetContainerServicesOperation, new AwsParameters { { "serviceName", serviceName } },
            response => response.List("containerServices", LightsailContainerService.Read), cancellationToken);

    /// <summary>GetContainerServiceDeployments: the service's deployments (Lightsail keeps the latest 50), newest first.</summary>
    public Task<IReadOnlyList<LightsailDeployment>> GetContainerServiceDeploymentsAsync(string serviceName, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(GetContainerServiceDeploymentsOperation, new AwsParameters { { "serviceName", serviceName } },
            response => response.List("deployments", LightsailDeployment.Read), cancellationToken);

    /// <summary>GetContainerImages: the images pushed to the service.</summary>
    public Task<IReadOnlyList<LightsailContainerImage>> GetContainerImagesAsync(string serviceName, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(GetContainerImagesOperation, new AwsParameters { { "serviceName", serviceName } },
            response => response.List("containerImages", LightsailContainerImage.Read), cancellationToken);

    /// <summary>
    /// CreateContainerServiceDeployment: starts a deployment of <paramref name="specification"/>; returns the service with it as
    /// <c>nextDeployment</c>. Not idempotent: never resent when the outcome is unknown.
    /// </summary>
    public Task<LightsailContainerService> CreateContainerServiceDeploymentAsync(
        string serviceName, LightsailDeploymentSpecification specification, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(CreateContainerServiceDeploymentOperation, specification.ToParameters(serviceName),
            response => LightsailContainerService.Read(response.Required("containerService")), cancellationToken);

    /// <summary>UpdateContainerService: sets what is given of power, scale and isDisabled.</summary>
    public Task<LightsailContainerService> UpdateContainerServiceAsync(
        string serviceName, string? power = null, int? scale = null, bool? isDisabled = null, CancellationToken cancellationToken = default) =>
        Protocol.CallAsync(UpdateContainerServiceOperation,
            new AwsParameters { { "serviceName", serviceName }, { "power", power }, { "scale", scale }, { "isDisabled", isDisabled } },
            response => LightsailContainerService.Read(response.Required("containerService")), cancellationToken);

    /// <summary>GetContainerLog: a container's log lines (merged from every node), oldest first, page after page up to the cap.</summary>
    public Task<AwsPagedList<LightsailLogEvent>> GetContainerLogAsync(LightsailLogRequest request, CancellationToken cancellationToken = default)
    {
        if (request.MaxEvents < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxEvents, "MaxEvents must be 1 or more.");
        }

        var parameters = new AwsParameters
        {
            { "serviceName", request.ServiceName },
            { "containerName", request.ContainerName },
            { "startTime", request.StartTime },
            { "endTime", request.EndTime },
            { "filterPattern", request.FilterPattern },
        };
        return Protocol.PaginateAsync(GetContainerLogOperation, parameters, LightsailLogEvent.Read, new AwsPageLimits(MaxItems: request.MaxEvents), cancellationToken);
    }
}
