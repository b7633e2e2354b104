#Requires -Version 5.1
# The module contract as PowerShell itself sees it, on the module `dotnet build` laid out at the
# repository root. Run by build.ps1 -Task Test (Pester 5, in a child pwsh). The xunit project
# tests/DeployOps.Module.Tests checks the same contract where no PowerShell exists.

BeforeDiscovery {
    # The exported cmdlets, known at discovery time so each gets its own tests.
    $discovered = Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1') -Force -PassThru -ErrorAction Stop
    $commands = @(
        foreach ($name in @($discovered.ExportedCmdlets.Keys | Sort-Object)) {
            @{ Name = $name }
        }
    )
}

Describe 'DeployOps module' -Tag Unit {
    BeforeAll {
        $manifestPath = Join-Path -Path $PSScriptRoot -ChildPath '../DeployOps.psd1'
        $manifest = Import-PowerShellDataFile -Path $manifestPath
        $module = Import-Module -Name $manifestPath -Force -PassThru -ErrorAction Stop
    }

    AfterAll {
        Remove-Module -Name 'DeployOps' -Force -ErrorAction SilentlyContinue
    }

    It 'passes Test-ModuleManifest' {
        $tested = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $tested.Version.ToString() | Should -Be $manifest.ModuleVersion
    }

    It 'exports exactly the cmdlets CmdletsToExport lists' {
        $exported = @($module.ExportedCmdlets.Keys | Sort-Object) -join ', '
        $listed = @($manifest.CmdletsToExport | Sort-Object) -join ', '
        $exported | Should -BeExactly $listed
    }

    It 'exports no functions, variables or aliases' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    # Pester 6 rejects -ForEach over an empty list, and while no cmdlet exists there is nothing to check.
    if ($commands.Count -gt 0) {
        Context '<Name>' -ForEach $commands {
            BeforeAll {
                $command = Get-Command -Name $Name -Module 'DeployOps' -CommandType Cmdlet
                $help = Get-Help -Name $Name -Full
            }

            It 'has help with a synopsis' {
                $help.Synopsis | Should -Not -BeNullOrEmpty
                # Without a MAML entry Get-Help makes help up, and its synopsis is the syntax.
                $help.Synopsis | Should -Not -BeLike '*`[<CommonParameters>`]*'
            }

            It 'has at least one example with code' {
                $examples = @($help.Examples.Example | Where-Object { -not [string]::IsNullOrWhiteSpace($_.Code) })
                $examples.Count | Should -BeGreaterThan 0
            }

            It 'has a format view for every output type' {
                $outputTypes = @($command.OutputType | ForEach-Object { $_.Name })
                $outputTypes.Count | Should -BeGreaterThan 0 -Because 'every cmdlet declares [OutputType]'
                foreach ($typeName in $outputTypes) {
                    Get-FormatData -TypeName $typeName | Should -Not -BeNullOrEmpty -Because "$Name outputs $typeName"
                }
            }
        }
    }
}
