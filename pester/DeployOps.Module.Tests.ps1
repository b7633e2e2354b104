#Requires -Version 5.1
# The module contract as PowerShell itself sees it, on the module `dotnet build` laid out at the
# repository root: among it, that Get-Help shows the help written in docs/help/<Verb-Noun>.md and that its
# examples parse. Run by build.ps1 -Task Test (Pester 5, in a child pwsh). The xunit project
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
        # The text under one '## Name' heading of a help source, up to the next '## ' heading.
        function Get-HelpSourceSection {
            param([string] $Markdown, [string] $Name)
            $match = [regex]::Match($Markdown, '(?ms)^## ' + [regex]::Escape($Name) + '\s*?$(.*?)(?=^## |\z)')
            if (-not $match.Success) {
                throw "the help source has no '## $Name' section"
            }
            $match.Groups[1].Value.Trim()
        }

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
                # The help source the build compiled (docs/help/README.md), read here on its own so that this suite checks
                # what PowerShell shows against what the author wrote, not against the compiler's own reading.
                $source = Get-Content -Raw -Path (Join-Path -Path $PSScriptRoot -ChildPath "../docs/help/$Name.md")
                $sourceExamples = @(
                    [regex]::Matches((Get-HelpSourceSection -Markdown $source -Name 'EXAMPLES'), '(?ms)^```powershell\r?\n(.*?)\r?\n```') |
                        ForEach-Object { $_.Groups[1].Value -replace '\r\n', "`n" }
                )
                $shownExamples = @($help.Examples.Example | ForEach-Object { ([string]$_.Code).Trim() -replace '\r\n', "`n" })
            }

            It 'shows the synopsis of its Markdown source' {
                # Without a MAML entry Get-Help makes help up, and its synopsis is the syntax.
                $help.Synopsis | Should -Not -BeLike '*`[<CommonParameters>`]*'
                $written = (Get-HelpSourceSection -Markdown $source -Name 'SYNOPSIS') -replace '`', '' -replace '\s+', ' '
                $help.Synopsis | Should -BeExactly $written.Trim()
            }

            It 'shows every parameter of the cmdlet with its description, and the source documents no other' {
                $common = [System.Management.Automation.Cmdlet]::CommonParameters
                $parameters = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ } | Sort-Object)
                $documented = @([regex]::Matches((Get-HelpSourceSection -Markdown $source -Name 'PARAMETERS'), '(?m)^### -(\w+)\s*$') |
                        ForEach-Object { $_.Groups[1].Value } | Sort-Object)
                $documented -join ', ' | Should -BeExactly ($parameters -join ', ')
                foreach ($parameter in $parameters) {
                    $shown = @($help.Parameters.Parameter | Where-Object { $_.Name -eq $parameter })
                    $shown.Count | Should -Be 1 -Because "Get-Help $Name shows -$parameter once"
                    ($shown[0].Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter is described"
                }
            }

            It 'shows the examples of its Markdown source, at least two' {
                $sourceExamples.Count | Should -BeGreaterOrEqual 2
                $shownExamples | Should -Be $sourceExamples
            }

            It 'has examples that parse and give the cmdlets only parameters they have' {
                foreach ($code in $shownExamples) {
                    $tokens = $null
                    $errors = $null
                    $ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$tokens, [ref]$errors)
                    @($errors).Count | Should -Be 0 -Because "the example parses: $code"
                    $calls = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
                            Where-Object { $null -ne (Get-Command -Name $_.GetCommandName() -Module 'DeployOps' -ErrorAction SilentlyContinue) })
                    @($calls | Where-Object { $_.GetCommandName() -eq $Name }).Count | Should -BeGreaterThan 0 -Because "the example runs ${Name}: $code"
                    foreach ($call in $calls) {
                        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
                        @($binding.BindingExceptions.Keys) -join ', ' | Should -BeNullOrEmpty -Because "every parameter of '$call' exists"
                    }
                }
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
