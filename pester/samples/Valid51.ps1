# Windows PowerShell 5.1-valid constructs the syntax check (pester/Syntax.Tests.ps1) must accept.
using namespace System.Collections.Generic

class DeploymentProbe {
    [string] $Name
    hidden [int] $Attempts = 0

    DeploymentProbe([string] $name) {
        $this.Name = $name
    }

    [bool] IsHealthy([int] $threshold) {
        $this.Attempts++
        return $this.Attempts -ge $threshold
    }

    static [DeploymentProbe] Create([string] $name) {
        return [DeploymentProbe]::new($name)
    }
}

enum Severity {
    Info
    Warning
    Critical
}

function Get-ProbeStatus {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'ByName')]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [ValidateSet('Info', 'Warning', 'Critical')]
        [string] $Severity = 'Info',

        [switch] $Force
    )

    begin {
        $seen = [List[string]]::new()
        $handlers = @{
            Info     = { param($n) "info: $n" }
            Critical = { param($n) throw "critical: $n" }
        }
    }

    process {
        foreach ($n in $Name) {
            if (-not $PSCmdlet.ShouldProcess($n, 'Probe')) { continue }
            $seen.Add($n)
            $message = switch -Regex ($n) {
                '^web-'
                {
                    'frontend'
                    break
                }
                '^api-(?<tier>\w+)$'
                {
                    "api tier $($Matches.tier)"
                }
                default
                {
                    'other'
                }
            }
            try {
                & $handlers[$Severity] $n
            }
            catch [System.Management.Automation.RuntimeException] {
                Write-Warning -Message $_.Exception.Message
            }
            catch {
                throw
            }
            finally {
                Write-Verbose "probed $n"
            }
            [pscustomobject]@{ Name = $n; Kind = $message }
        }
    }

    end {
        $splat = @{
            Object          = "probed $($seen.Count) deployment(s)"
            ForegroundColor = 'Green'
        }
        Write-Host @splat
        $report = @"
Deployments: $($seen -join ', ')
Severity:    $Severity
"@
        $literal = @'
No $expansion here: $(nothing)
'@
        Write-Verbose ($report + $literal)
    }
}

$null = Get-Process | Where-Object { $_.Id -gt 0 } | ForEach-Object -Process { $_.Name }
$probe = [DeploymentProbe]::Create('web')
if ($probe.IsHealthy(1) -and -not $env:CI) { exit 0 } elseif ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE } else { exit 1 }
