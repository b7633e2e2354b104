#Requires -Version 5.1
# The DeployOps sandbox for the Pester suites and build.ps1 -Task Demo: start the built sandbox on a free port,
# drive its control API (/_sandbox/...), wait for world conditions, and give tests throwaway AWS settings so they
# never read or change the user's own (~/.aws, AWS_* variables). Windows PowerShell 5.1 compatible.

Set-StrictMode -Version 3.0

$script:ReadyLine = '^DeployOps sandbox ready at (?<url>https?://\S+)\s*$'

# Every variable the AWS layer and DeployOps read: saved, cleared and restored around a test or the demo.
$script:AwsVariables = @(
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
    'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_ECS', 'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2', 'AWS_ENDPOINT_URL_EC2',
    'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', 'AWS_ENDPOINT_URL_STS', 'AWS_MAX_ATTEMPTS', 'AWS_EC2_METADATA_DISABLED',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'DEPLOYOPS_CONFIG',
    'DEPLOYOPS_REGISTRY'
)

function Test-WindowsPlatform {
    [OutputType([bool])]
    param()
    return [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

function Get-SandboxAssemblyPath {
    [OutputType([string])]
    param(
        [string] $Configuration
    )

    $repository = Split-Path -Path $PSScriptRoot -Parent
    $configurations = @('Debug', 'Release')
    if ($Configuration) {
        $configurations = @($Configuration)
    }

    $built = @(
        foreach ($name in $configurations) {
            $path = Join-Path -Path $repository -ChildPath "src/DeployOps.Sandbox/bin/$name/net10.0/DeployOps.Sandbox.dll"
            if (Test-Path -LiteralPath $path) {
                Get-Item -LiteralPath $path
            }
        }
    )
    if ($built.Count -eq 0) {
        throw "The sandbox is not built ($($configurations -join ' or ')). Run ./build.ps1 -Task Build (or dotnet build) first."
    }

    # The most recently built configuration.
    return ($built | Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First 1).FullName
}

<#
.SYNOPSIS
    Starts the built DeployOps sandbox on a free port of 127.0.0.1 and returns it once it is ready.
.DESCRIPTION
    Runs `dotnet DeployOps.Sandbox.dll --port 0 --scenario <Scenario>` with its output in temporary files, and waits for
    its ready line ("DeployOps sandbox ready at http://127.0.0.1:<port>"). The sandbox starts its own moto_server,
    which must be on PATH. Stop it with Stop-DeployOpsSandbox.
.OUTPUTS
    An object with Url (http://127.0.0.1:<port>, no trailing slash), ProcessId, Process, Scenario and the log paths.
#>
function Start-DeployOpsSandbox {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [ValidateNotNullOrEmpty()]
        [string] $Scenario = 'healthy',

        # Which build to run; by default the most recently built one.
        [ValidateSet('Debug', 'Release')]
        [string] $Configuration,

        [ValidateRange(5, 600)]
        [int] $TimeoutSec = 120
    )

    $assembly = Get-SandboxAssemblyPath -Configuration $Configuration
    $logs = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('deployops-sandbox-' + [guid]::NewGuid().ToString('n'))
    $null = New-Item -Path $logs -ItemType Directory
    $stdout = Join-Path -Path $logs -ChildPath 'stdout.txt'
    $stderr = Join-Path -Path $logs -ChildPath 'stderr.txt'

    # Start-Process joins ArgumentList with spaces in both editions, so the path is quoted here.
    $arguments = @("`"$assembly`"", '--port', '0', '--scenario', $Scenario)
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -RedirectStandardOutput $stdout `
        -RedirectStandardError $stderr -NoNewWindow -PassThru
    $sandbox = [pscustomobject]@{
        PSTypeName = 'DeployOps.Sandbox'
        Url        = $null
        ProcessId  = $process.Id
        Process    = $process
        Scenario   = $Scenario
        LogFolder  = $logs
        OutputPath = $stdout
        ErrorPath  = $stderr
    }

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($null -eq $sandbox.Url) {
        $ready = @(Get-Content -LiteralPath $stdout -ErrorAction SilentlyContinue) | Where-Object { $_ -match $script:ReadyLine } | Select-Object -First 1
        if ($ready) {
            $null = $ready -match $script:ReadyLine
            $sandbox.Url = $Matches['url'].TrimEnd('/')
            break
        }

        $why = $null
        if ($process.HasExited) {
            $why = "it exited with code $($process.ExitCode)"
        }
        elseif ([DateTime]::UtcNow -gt $deadline) {
            $why = "it was not ready after $TimeoutSec s"
        }

        if ($why) {
            $errorText = (@(Get-Content -LiteralPath $stderr -ErrorAction SilentlyContinue) | Select-Object -Last 20) -join [Environment]::NewLine
            Stop-DeployOpsSandbox -Sandbox $sandbox
            throw "The DeployOps sandbox ($assembly, scenario $Scenario) did not start: $why. Its error output:$([Environment]::NewLine)$errorText"
        }

        Start-Sleep -Milliseconds 200
    }

    Write-Verbose "DeployOps sandbox (PID $($process.Id)) ready at $($sandbox.Url), scenario $Scenario"
    return $sandbox
}

<#
.SYNOPSIS
    Stops a sandbox started by Start-DeployOpsSandbox (and its moto_server), then removes its log folder.
#>
function Stop-DeployOpsSandbox {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, ValueFromPipeline = $true)]
        [pscustomobject] $Sandbox
    )

    process {
        $process = $Sandbox.Process
        if (-not $process.HasExited) {
            if (Test-WindowsPlatform) {
                # No SIGTERM on Windows: end the sandbox and its moto_server child together.
                & taskkill.exe /PID $process.Id /T /F | Out-Null
            }
            else {
                # SIGTERM: the sandbox stops moto and its listeners as it does on Ctrl-C.
                $kill = Get-Command -Name 'kill' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
                if ($kill) {
                    & $kill.Source -TERM $process.Id
                }
            }

            if (-not $process.WaitForExit(20000)) {
                Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            }
        }

        Remove-Item -LiteralPath $Sandbox.LogFolder -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-SandboxControl {
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [Parameter(Mandatory = $true)]
        [string] $Path,

        [ValidateSet('Get', 'Post', 'Delete')]
        [string] $Method = 'Get',

        [object] $Body
    )

    $request = @{ Uri = "$($Sandbox.Url)/_sandbox/$Path"; Method = $Method; TimeoutSec = 120 }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.Body = ConvertTo-Json -InputObject $Body -Depth 10 -Compress
        $request.ContentType = 'application/json'
    }

    Invoke-RestMethod @request
}

<#
.SYNOPSIS
    Loads a scenario: resets the sandbox's whole account (moto and the world) and builds the scenario's resources.
.OUTPUTS
    The sandbox state afterwards (as Get-SandboxState).
#>
function Set-SandboxScenario {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string] $Name
    )

    if ($PSCmdlet.ShouldProcess("DeployOps sandbox at $($Sandbox.Url)", "Load scenario $Name")) {
        Invoke-SandboxControl -Sandbox $Sandbox -Path "scenario/$Name" -Method Post
    }
}

<#
.SYNOPSIS
    The sandbox's world: services (deployments, tasks), target groups (health-check path, matcher, targets) and load
    balancers (with the loopback URL of each ALB listener).
#>
function Get-SandboxState {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox
    )

    Invoke-SandboxControl -Sandbox $Sandbox -Path 'state'
}

<#
.SYNOPSIS
    The loopback URL of a load balancer's listener, e.g. http://127.0.0.1:41234 (no trailing slash).
#>
function Get-SandboxLoadBalancerUrl {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [string] $Name = 'lightwave-dev-alb'
    )

    $listener = @((Get-SandboxState -Sandbox $Sandbox).loadBalancers) | Where-Object { $_.name -eq $Name } | Select-Object -First 1
    if ($null -eq $listener) {
        throw "The sandbox has no load balancer named $Name."
    }

    return ([string]$listener.url).TrimEnd('/')
}

<#
.SYNOPSIS
    Injects faults into the sandbox's AWS answers, e.g. 30% ECS throttling:
    Set-SandboxFault -Sandbox $s -Seed 7 -Rule @{ service = 'ecs'; operation = '*'; kind = 'throttle'; rate = 0.3 }
#>
function Set-SandboxFault {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [Parameter(Mandatory = $true)]
        [hashtable[]] $Rule,

        [int] $Seed = 1
    )

    if ($PSCmdlet.ShouldProcess("DeployOps sandbox at $($Sandbox.Url)", 'Inject faults')) {
        Invoke-SandboxControl -Sandbox $Sandbox -Path 'faults' -Method Post -Body @{ seed = $Seed; rules = @($Rule) }
    }
}

<#
.SYNOPSIS
    The fault settings and every fault injected so far (settings, injected[]: sequence, service, operation, kind).
#>
function Get-SandboxFault {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox
    )

    Invoke-SandboxControl -Sandbox $Sandbox -Path 'faults'
}

<#
.SYNOPSIS
    Removes every fault rule.
#>
function Clear-SandboxFault {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox
    )

    if ($PSCmdlet.ShouldProcess("DeployOps sandbox at $($Sandbox.Url)", 'Remove every fault rule')) {
        $null = Invoke-SandboxControl -Sandbox $Sandbox -Path 'faults' -Method Delete
    }
}

<#
.SYNOPSIS
    Sets how many world seconds pass per real second (the sandbox starts at 30; 1 is real time).
#>
function Set-SandboxClock {
    [CmdletBinding(SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [Parameter(Mandatory = $true)]
        [ValidateRange(0.1, 1000)]
        [double] $Speed
    )

    if ($PSCmdlet.ShouldProcess("DeployOps sandbox at $($Sandbox.Url)", "Set the clock speed to $Speed")) {
        $null = Invoke-SandboxControl -Sandbox $Sandbox -Path 'clock' -Method Post -Body @{ speed = $Speed }
    }
}

<#
.SYNOPSIS
    Runs ScriptBlock until it outputs something (not $null, not $false) and returns that output; throws after
    TimeoutSec. The limit is a liveness bound for a world that changes over time, never a performance assertion.
#>
function Wait-SandboxCondition {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [scriptblock] $ScriptBlock,

        # What is waited for, for the timeout message.
        [Parameter(Mandatory = $true)]
        [string] $Because,

        [ValidateRange(1, 3600)]
        [int] $TimeoutSec = 90,

        [ValidateRange(50, 60000)]
        [int] $IntervalMilliseconds = 500
    )

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $last = $null
    while ($true) {
        try {
            $value = & $ScriptBlock
            $last = $null
        }
        catch {
            $value = $null
            $last = $_
        }

        if ($null -ne $value -and $false -ne $value) {
            return $value
        }

        if ([DateTime]::UtcNow -gt $deadline) {
            $detail = ''
            if ($null -ne $last) {
                $detail = " The last attempt failed: $last"
            }

            throw "Waited $TimeoutSec s for $Because; it did not happen.$detail"
        }

        Start-Sleep -Milliseconds $IntervalMilliseconds
    }
}

<#
.SYNOPSIS
    Loads a scenario, then diagnoses a service with Get-DeploymentHealth until its report shows the category and every
    expected kind of evidence (the world needs a few health checks to settle after a scenario loads). Returns the report.
#>
function Get-SettledDeploymentHealth {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [Parameter(Mandatory = $true)]
        [string] $Scenario,

        [Parameter(Mandatory = $true)]
        [string] $Category,

        [string[]] $EvidenceSource = @(),

        [string] $Cluster = 'lightwave-dev-ecs-cluster',

        [string] $Service = 'lightwave-backend-api-dev'
    )

    $null = Set-SandboxScenario -Sandbox $Sandbox -Name $Scenario
    $target = @{ Cluster = $Cluster; Service = $Service; Region = 'us-east-1'; EndpointUrl = $Sandbox.Url }
    Wait-SandboxCondition -Because "a $Category report with evidence from $($EvidenceSource -join ', ') in scenario $Scenario" -ScriptBlock {
        $report = Get-DeploymentHealth @target -ErrorAction SilentlyContinue
        if ($null -ne $report -and [string]$report.Category -eq $Category) {
            $sources = @($report.Evidence | ForEach-Object { [string]$_.Source })
            $missing = @($EvidenceSource | Where-Object { $sources -notcontains $_ })
            if ($missing.Count -eq 0) {
                $report
            }
        }
    }
}

<#
.SYNOPSIS
    A loopback port nothing listens on (taken from the system, then released): an endpoint that refuses connections.
#>
function Get-ClosedPort {
    [CmdletBinding()]
    [OutputType([int])]
    param()

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    return $port
}

<#
.SYNOPSIS
    True when this Windows user has an AWS SDK credential store (where Set-AWSCredential -StoreAs writes): it may hold a
    default profile no variable can hide, so "no credentials" cannot be tested here.
#>
function Test-AwsSdkCredentialStore {
    [CmdletBinding()]
    [OutputType([bool])]
    param()

    if (-not $env:LOCALAPPDATA) {
        return $false
    }

    return Test-Path -LiteralPath (Join-Path -Path $env:LOCALAPPDATA -ChildPath 'AWSToolkit/RegisteredAccounts.json')
}

<#
.SYNOPSIS
    Saves and clears every AWS_* variable DeployOps reads, then sets throwaway ones: credentials 'sandbox'/'sandbox'
    (unless -WithoutCredentials), shared credentials and config files in Path (empty, so ~/.aws is never read), no
    instance-metadata probe, and optionally a region. Returns the saved values for Exit-SandboxAwsEnvironment.
#>
function Enter-SandboxAwsEnvironment {
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        # A throwaway folder (e.g. $TestDrive) for the credentials and config files.
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [switch] $WithoutCredentials,

        [string] $Region
    )

    $saved = @{}
    foreach ($name in $script:AwsVariables) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        # Remove-Item, never SetEnvironmentVariable($name, $null): on Linux PowerShell 7.6 that leaves the variable
        # defined and empty for child processes (moto then answers every request with an HTML 500 page).
        Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue
    }

    if (-not (Test-Path -LiteralPath $Path)) {
        $null = New-Item -Path $Path -ItemType Directory
    }

    $credentialsFile = Join-Path -Path $Path -ChildPath 'aws-credentials'
    $configFile = Join-Path -Path $Path -ChildPath 'aws-config'
    foreach ($file in @($credentialsFile, $configFile)) {
        if (-not (Test-Path -LiteralPath $file)) {
            $null = New-Item -Path $file -ItemType File
        }
    }

    $env:AWS_SHARED_CREDENTIALS_FILE = $credentialsFile
    $env:AWS_CONFIG_FILE = $configFile
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    # Wait-EcsDeployment and Invoke-EcsRollback -Wait record verified rollouts in the deployment journal: keep it here,
    # not in ./.deployment-registry under the current location.
    $env:DEPLOYOPS_REGISTRY = Join-Path -Path $Path -ChildPath 'deployment-registry'
    if (-not $WithoutCredentials) {
        # Any credentials work against the sandbox; these are not secrets.
        $env:AWS_ACCESS_KEY_ID = 'sandbox'
        $env:AWS_SECRET_ACCESS_KEY = 'sandbox'
    }

    if ($Region) {
        $env:AWS_REGION = $Region
    }

    return $saved
}

<#
.SYNOPSIS
    Restores the AWS_* variables Enter-SandboxAwsEnvironment saved.
#>
function Exit-SandboxAwsEnvironment {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable] $State
    )

    foreach ($name in $State.Keys) {
        if ($null -eq $State[$name]) {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction SilentlyContinue
        }
        else {
            Set-Item -LiteralPath "Env:$name" -Value $State[$name]
        }
    }
}

<#
.SYNOPSIS
    What a suite's BeforeAll does: throwaway AWS settings in a fresh temporary folder (Enter-SandboxAwsEnvironment), then
    one sandbox for the whole suite with -Scenario loaded (Start-DeployOpsSandbox). Stop-SandboxSuite in AfterAll undoes
    both. When the sandbox does not start, the AWS settings are restored before the error is thrown.
.OUTPUTS
    An object with Sandbox, Folder (the temporary folder, for the files a suite writes), SavedEnvironment, and Aws
    (@{ Region; EndpointUrl }, to splat into DeployOps cmdlets).
#>
function Start-SandboxSuite {
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # Names the temporary folder (deployops-<Name>-<guid>), so a leftover one says which suite left it.
        [Parameter(Mandatory = $true)]
        [ValidatePattern('^[a-z0-9-]+$')]
        [string] $Name,

        [ValidateNotNullOrEmpty()]
        [string] $Scenario = 'healthy',

        [ValidateRange(5, 600)]
        [int] $TimeoutSec = 120,

        [ValidateNotNullOrEmpty()]
        [string] $Region = 'us-east-1'
    )

    $folder = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('deployops-' + $Name + '-' + [guid]::NewGuid().ToString('n'))
    $saved = Enter-SandboxAwsEnvironment -Path $folder
    try {
        $sandbox = Start-DeployOpsSandbox -Scenario $Scenario -TimeoutSec $TimeoutSec
    }
    catch {
        Exit-SandboxAwsEnvironment -State $saved
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
        throw
    }

    [pscustomobject]@{
        PSTypeName       = 'DeployOps.SandboxSuite'
        Sandbox          = $sandbox
        Folder           = $folder
        SavedEnvironment = $saved
        Aws              = @{ Region = $Region; EndpointUrl = $sandbox.Url }
    }
}

<#
.SYNOPSIS
    What a suite's AfterAll does: stops the suite's sandbox, restores the AWS settings and removes the temporary folder
    (Start-SandboxSuite). Nothing to do when the suite never started.
#>
function Stop-SandboxSuite {
    [CmdletBinding()]
    param(
        [AllowNull()]
        [pscustomobject] $Suite
    )

    if ($null -eq $Suite) {
        return
    }

    Stop-DeployOpsSandbox -Sandbox $Suite.Sandbox
    Exit-SandboxAwsEnvironment -State $Suite.SavedEnvironment
    Remove-Item -LiteralPath $Suite.Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function @(
    'Start-DeployOpsSandbox', 'Stop-DeployOpsSandbox', 'Set-SandboxScenario', 'Get-SandboxState',
    'Get-SandboxLoadBalancerUrl', 'Set-SandboxFault', 'Get-SandboxFault', 'Clear-SandboxFault', 'Set-SandboxClock',
    'Wait-SandboxCondition', 'Get-SettledDeploymentHealth', 'Get-ClosedPort', 'Test-AwsSdkCredentialStore',
    'Enter-SandboxAwsEnvironment', 'Exit-SandboxAwsEnvironment', 'Start-SandboxSuite', 'Stop-SandboxSuite'
)

# Runbook 001 (coordination): the simulators' own control-API entries (slack/messages, slack/outage, slack/rateLimit,
# stacks/release) are reached through Invoke-SandboxControl.
Export-ModuleMember -Function 'Invoke-SandboxControl'

<#
.SYNOPSIS
    Sends GET requests through an ALB listener of the sandbox, as one client (X-Forwarded-For), and returns each status
    code in order: a web ACL's rate-based rule answers 403 past its limit (runbook 004, WAF).
#>
function Send-SandboxLoadBalancerRequest {
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [string] $Path = '/api/v1/health/health/',

        [int] $Count = 1,

        [string] $ClientIp = '203.0.113.7',

        [string] $Name = 'lightwave-dev-alb'
    )

    $url = (Get-SandboxLoadBalancerUrl -Sandbox $Sandbox -Name $Name) + $Path
    for ($i = 0; $i -lt $Count; $i++) {
        try {
            $response = Invoke-WebRequest -Uri $url -Headers @{ 'X-Forwarded-For' = $ClientIp } -UseBasicParsing -TimeoutSec 30
            [int]$response.StatusCode
        }
        catch {
            if ($null -eq $_.Exception.Response) {
                throw
            }

            [int]$_.Exception.Response.StatusCode
        }
    }
}

# Runbook 004 (WAF): requests through the ALB as one client; the notifications simulator's sns/confirm entry is reached
# through Invoke-SandboxControl.
Export-ModuleMember -Function 'Send-SandboxLoadBalancerRequest'

<#
.SYNOPSIS
    The sandbox's DNS resolver, e.g. 127.0.0.1:53124 (for Get-LoadBalancerHealth -DnsServer): it answers A 127.0.0.1 for
    the DNS names of the load balancers moto knows, NXDOMAIN for any other name, and NXDOMAIN for a load balancer named
    with -Unknown until the next scenario (a resolver that does not know its name).
#>
function Get-SandboxDnsServer {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Sandbox,

        [string] $Unknown
    )

    if ($Unknown) {
        $null = Invoke-SandboxControl -Sandbox $Sandbox -Path 'dns/nxdomain' -Method Post -Body @{ loadBalancer = $Unknown }
    }

    return [string](Invoke-SandboxControl -Sandbox $Sandbox -Path 'dns').server
}

# Runbook 004 (ALB not receiving traffic): the sandbox's DNS resolver, for Get-LoadBalancerHealth -DnsServer.
Export-ModuleMember -Function 'Get-SandboxDnsServer'
