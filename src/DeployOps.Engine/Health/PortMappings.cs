using System.Collections.Generic;
using System.Linq;
using DeployOps.Aws.Ecs;

namespace DeployOps.Health;

/// <summary>Runbook 000 step 3C, "target registration": does a service's load balancer mapping name a container port its task definition exposes?</summary>
public static class PortMappings
{
    /// <summary>How the first mapping that does not match disagrees with the task definition, or null when all match.</summary>
    public static string? Mismatch(EcsService service, EcsTaskDefinition definition)
    {
        foreach (var mapping in service.LoadBalancers)
        {
            var container = definition.ContainerDefinitions.FirstOrDefault(c => c.Name == mapping.ContainerName);
            var exposed = container?.PortMappings.Select(p => p.ContainerPort).Where(p => p is not null).Select(p => p!.Value).ToList() ?? new List<int>();
            if (container is null || !exposed.Contains(mapping.ContainerPort ?? 0))
            {
                var actual = container is null
                    ? $"has no container named '{mapping.ContainerName}' (containers: {string.Join(", ", definition.ContainerDefinitions.Select(c => c.Name))})"
                    : $"exposes {mapping.ContainerName}:{(exposed.Count == 0 ? "no port" : string.Join(", ", exposed))}";
                return $"The service maps container '{mapping.ContainerName}' port {mapping.ContainerPort} to its target group, " +
                       $"but task definition {definition.Family}:{definition.Revision} {actual}";
            }
        }

        return null;
    }
}
