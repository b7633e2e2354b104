#Requires -Version 5.1
<#
    The syntax check: every .ps1/.psm1/.psd1 file of the repository parses with PowerShell's own parser and uses no
    PowerShell 7-only syntax (the module and its scripts support Windows PowerShell 5.1). One test per file, plus the
    checker's own cases. Needs PowerShell 7: Windows PowerShell 5.1 cannot tell 7-only syntax from a syntax error.
#>

BeforeDiscovery {
    $repository = Split-Path -Path $PSScriptRoot -Parent
    Import-Module -Name (Join-Path -Path $repository -ChildPath 'tools/PowerShellSyntax.psm1') -Force
    $sourceFiles = @(Get-PowerShellSourceFile -Root $repository | ForEach-Object {
            @{ Path = $_; Name = $_.Substring($repository.Length + 1) }
        })
}

BeforeAll {
    $repository = Split-Path -Path $PSScriptRoot -Parent
    Import-Module -Name (Join-Path -Path $repository -ChildPath 'tools/PowerShellSyntax.psm1') -Force
}

AfterAll {
    Remove-Module -Name 'PowerShellSyntax' -Force -ErrorAction SilentlyContinue
}

Describe 'Every PowerShell file of the repository' -Tag Unit {
    It 'finds the files to check' -ForEach @{ Names = @($sourceFiles | ForEach-Object { $_.Name }) } {
        $Names.Count | Should -BeGreaterThan 5
        $Names | Should -Contain 'build.ps1'
        $Names | Should -Contain 'DeployOps.psd1'
    }

    It '<Name> parses and is Windows PowerShell 5.1 syntax' -ForEach $sourceFiles {
        $problems = @(Test-PowerShellSyntax -Path $Path | ForEach-Object { "${Name}:$($_.Line):$($_.Column): $($_.Message)" })
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'The syntax check itself' -Tag Unit {
    It 'accepts a byte order mark and the ? alias of Where-Object, -and and -or' {
        Test-PowerShellSyntax -Source "$([char]0xFEFF)Write-Output 1`n`$ok = `$a -and `$b -or `$c`nGet-Process | ? { `$_.Id }`n" | Should -BeNullOrEmpty
    }

    It 'reports <Name> at line <Line>' -ForEach @(
        @{ Name = 'an unclosed brace'; Source = "if (`$a) {`n    `$b`n"; Line = 1 }
        @{ Name = 'an unclosed parenthesis'; Source = "Write-Output 1`n`$x = (1 +`n"; Line = 2 }
        @{ Name = 'a stray closing brace'; Source = "Write-Output 1`n}`n"; Line = 2 }
    ) {
        $problems = @(Test-PowerShellSyntax -Source $Source)
        $problems | Should -Not -BeNullOrEmpty
        $problems[0].Message | Should -BeLike 'syntax error:*'
        @($problems | Where-Object { $_.Line -ge $Line }) | Should -Not -BeNullOrEmpty
    }

    It 'rejects <Name>: <Source>' -ForEach @(
        @{ Name = 'the ternary operator'; Source = '$x = $a ? 1 : 2'; Construct = "'? :'" }
        @{ Name = 'null coalescing'; Source = '$x = $a ?? 2'; Construct = "'??'" }
        @{ Name = 'null-coalescing assignment'; Source = '$x ??= 3'; Construct = "'??='" }
        @{ Name = 'a null-conditional member'; Source = '${a}?.Name'; Construct = "'?.'" }
        @{ Name = 'a null-conditional method call'; Source = '${a}?.ToString()'; Construct = "'?.'" }
        @{ Name = 'a null-conditional index'; Source = '${a}?[0]'; Construct = "'?[]'" }
        @{ Name = 'the pipeline chain &&'; Source = 'git status && Write-Output done'; Construct = "'&&'" }
        @{ Name = 'the pipeline chain ||'; Source = 'git status || Write-Output failed'; Construct = "'||'" }
        @{ Name = 'the background operator'; Source = 'Start-Sleep 1 &'; Construct = "'&'" }
    ) {
        $problems = @(Test-PowerShellSyntax -Source "Write-Output 1`n$Source`n")
        $problems | Should -HaveCount 1
        $problems[0].Line | Should -Be 2
        $problems[0].Message | Should -Match ([regex]::Escape("$Construct is PowerShell 7-only"))
    }

    It 'accepts the 5.1 sample <_>' -ForEach 'Valid51.ps1', 'Valid51.psd1' {
        Test-PowerShellSyntax -Path (Join-Path -Path $PSScriptRoot -ChildPath "samples/$_") | Should -BeNullOrEmpty
    }
}
