#Requires -Version 5.1
# The syntax check for every PowerShell file of the repository: PowerShell's own parser judges the syntax, and an AST
# walk rejects what only PowerShell 7 accepts (DeployOps' scripts and module files must run in Windows PowerShell 5.1).
# Used by pester/Syntax.Tests.ps1; needs PowerShell 7 to recognise the 7-only nodes (5.1 reports them as parse errors).

Set-StrictMode -Version 3.0

<#
.SYNOPSIS
    The problems of one PowerShell source: parse errors, then PowerShell 7-only syntax, each with its line and column.
.OUTPUTS
    Objects with Line, Column and Message; nothing when the source is clean.
#>
function Test-PowerShellSyntax {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Path')]
        [string] $Path,

        [Parameter(Mandatory = $true, ParameterSetName = 'Source')]
        [AllowEmptyString()]
        [string] $Source
    )

    $tokens = $null
    $errors = $null
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
    }
    else {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Source, [ref] $tokens, [ref] $errors)
    }

    foreach ($parseError in $errors) {
        New-SyntaxProblem -Extent $parseError.Extent -Message "syntax error: $($parseError.Message)"
    }

    foreach ($node in $ast.FindAll({ param($n) $null -ne (Get-SevenOnlyConstruct -Ast $n) }, $true)) {
        New-SyntaxProblem -Extent $node.Extent -Message "$(Get-SevenOnlyConstruct -Ast $node) is PowerShell 7-only (DeployOps supports Windows PowerShell 5.1)"
    }
}

function New-SyntaxProblem {
    param($Extent, [string] $Message)
    [pscustomobject]@{ Line = $Extent.StartLineNumber; Column = $Extent.StartColumnNumber; Message = $Message }
}

# The name of the PowerShell 7-only construct an AST node is, or $null. Types are compared by name, so the module
# also loads where they do not exist (Windows PowerShell 5.1 has no TernaryExpressionAst).
function Get-SevenOnlyConstruct {
    param($Ast)

    switch ($Ast.GetType().Name) {
        'TernaryExpressionAst' {
            return "the ternary operator '? :'"
        }
        'PipelineChainAst' {
            return "the pipeline chain operator '$($Ast.Operator -replace 'AndAnd', '&&' -replace 'OrOr', '||')'"
        }
        'BinaryExpressionAst' {
            if ([string]$Ast.Operator -eq 'QuestionQuestion') {
                return "the null-coalescing operator '??'"
            }
        }
        'AssignmentStatementAst' {
            if ([string]$Ast.Operator -eq 'QuestionQuestionEquals') {
                return "the null-coalescing assignment '??='"
            }
        }
        { $_ -in 'MemberExpressionAst', 'InvokeMemberExpressionAst' } {
            if ($Ast.NullConditional) {
                return "the null-conditional member access '?.'"
            }
        }
        'IndexExpressionAst' {
            if ($Ast.NullConditional) {
                return "the null-conditional index '?[]'"
            }
        }
        'PipelineAst' {
            if ($Ast.Background) {
                return "the background operator '&'"
            }
        }
    }

    return $null
}

<#
.SYNOPSIS
    Every .ps1, .psm1 and .psd1 file git tracks, plus untracked files it does not ignore, below Root (full paths).
#>
function Get-PowerShellSourceFile {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Root
    )

    $listed = @(& git -C $Root ls-files --cached --others --exclude-standard)
    if ($LASTEXITCODE -ne 0) {
        throw "git ls-files failed in $Root (exit $LASTEXITCODE)."
    }

    $listed | Where-Object { $_ -match '\.ps(1|m1|d1)$' } | Sort-Object -Unique | ForEach-Object {
        Join-Path -Path $Root -ChildPath $_
    } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf }
}

Export-ModuleMember -Function 'Test-PowerShellSyntax', 'Get-PowerShellSourceFile'
