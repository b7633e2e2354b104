using System.Linq;

namespace DeployOps.Sandbox.Simulators.EcsRuntime;

/// <summary>What CloudFormation asks the ECS runtime about the services its stacks create (it calls in from above in the lock order).</summary>
public sealed partial class EcsRuntimeSimulator
{
    /// <summary>
    /// The rollout of <paramref name="deploymentId"/> of a service: its state and reason, FAILED once another deployment
    /// replaced it before it completed (the circuit breaker rolled back), null when the service is gone.
    /// </summary>
    public (string RolloutState, string Reason)? Rollout(string serviceArn, string deploymentId)
    {
        lock (Gate)
        {
            if (!_services.TryGetValue(serviceArn, out var service))
            {
                return null;
            }

            var deployment = service.Deployments.FirstOrDefault(d => d.Id == deploymentId);
            if (deployment is null || (deployment.Status != "PRIMARY" && deployment.RolloutState != "COMPLETED"))
            {
                return ("FAILED", deployment?.RolloutStateReason ?? "replaced by another deployment");
            }

            return (deployment.RolloutState, deployment.RolloutStateReason);
        }
    }
}
