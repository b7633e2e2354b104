# A data file the syntax check (pester/Syntax.Tests.ps1) must accept: comments, both quote styles, arrays, nested hashtables.
@{
    RootModule        = 'bin/Sample.dll'
    ModuleVersion     = '1.2.3'
    Description       = "Double ""quoted"" and single 'quoted' text"
    CmdletsToExport   = @('Get-Thing', 'Set-Thing')
    AliasesToExport   = @()
    CompatiblePSEditions = 'Core', 'Desktop'
    PrivateData       = @{
        PSData = @{
            Tags       = @(
                'One'
                'Two'
            )
            Prerelease = $false   # trailing comment
        }
    }
}
