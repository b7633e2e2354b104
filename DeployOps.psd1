# Module manifest for DeployOps. One manifest serves the repository root (after `dotnet build`)
# and the packaged module (out/DeployOps/): both lay out bin/, en-US/ and module/ the same way.
@{
    RootModule           = 'bin/DeployOps.dll'

    # Must equal <Version> in Directory.Build.props (tests/DeployOps.Module.Tests enforces it).
    ModuleVersion        = '0.1.0'
    GUID                 = 'f94aecd2-6d10-4b10-b10c-0ba6fee5e889'
    Author               = 'DeployOps'
    CompanyName          = 'DeployOps'
    Copyright            = '(c) DeployOps. All rights reserved.'
    Description          = 'Diagnoses and repairs AWS ECS/ALB deployments: health reports, runbooks and safe repairs.'

    CompatiblePSEditions = 'Core', 'Desktop'
    PowerShellVersion    = '5.1'

    FormatsToProcess     = @('module/DeployOps.format.ps1xml')

    # Exactly the [Cmdlet] classes in bin/DeployOps.dll (a test compares both ways).
    CmdletsToExport      = @(
        'Get-DeploymentHealth'
        'Repair-TargetGroupHealthCheck'
        'Restart-EcsService'
        'Test-DeploymentEndpoint'
        'Wait-EcsDeployment'
        'Register-DeploymentRecord'
        'Get-DeploymentRecord'
        'Complete-DeploymentRecord'
        'Remove-DeploymentRecord'
        'Repair-DeploymentRegistry'
        'Send-DeploymentNotification'
        'Get-NotificationQueue'
        'Invoke-NotificationQueue'
        'Remove-NotificationQueueItem'
        'Watch-Deployment'
        'Get-DeploymentMonitor'
        'Get-CfnStackDiagnosis'
        'Stop-CfnStackUpdate'
        'Resume-CfnStackRollback'
        'Remove-CfnStack'
        'Wait-CfnStack'
        'Update-DeploymentHistory'
        'Get-DeploymentEstimate'
        'Get-LightsailDeployment'
        'Publish-LightsailDeployment'
        'Invoke-LightsailRollback'
        'Set-LightsailContainerService'
        'Test-DeploymentVerification'
        'Test-EcsNetworkPath'
        'Repair-EcsNetworkPath'
        'Get-EcsTaskDefinitionHistory'
        'Invoke-EcsRollback'
        'Test-DeploymentResilience'
        'Get-EcsTaskFailure'
        'Get-DeploymentLog'
        'Test-StartupSequence'
        'Get-EcsServiceMetric'
        'Get-WafBlockedRequest'
        'Test-AlarmNotification'
        'Get-LoadBalancerHealth'
        'Set-LoadBalancerAttribute'
        'Test-DatabaseConnectivity'
        'Start-DatabaseCluster'
        'Test-VpcNetwork'
        'Start-DatabaseInstance'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags = @('AWS', 'ECS', 'ALB', 'ElasticLoadBalancing', 'Deployment', 'Diagnostics', 'PSEdition_Core', 'PSEdition_Desktop')
        }
    }
}
