using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace DeployOps.Module.Tests;

public class PowerShellDataFileTests
{
    [Fact]
    public void ReadsWhatManifestsContain()
    {
        var data = PowerShellDataFile.Parse("""
            # a comment
            <# a block
               comment #>
            @{
                RootModule = 'bin/It''s.dll'   # trailing comment
                'Quoted Key' = "tab`there, ""quoted"", `$literal"
                Editions = 'Core', 'Desktop'
                Wrapped = 'a',
                          'b'
                Empty = @()
                Lines = @(
                    'one'
                    'two'; 'three'
                )
                Unrolled = @('x', 'y')
                Yes = $true; No = $False; Nothing = $null
                Count = 42
                Negative = -7
                Notes = @'
            line 1
            line 2 with $nothing expanded
            '@
                PrivateData = @{
                    PSData = @{ Tags = @('AWS') }
                }
            }
            """);

        Assert.Equal("bin/It's.dll", data["RootModule"]);
        Assert.Equal("tab\there, \"quoted\", $literal", data["Quoted Key"]);
        Assert.Equal(new object?[] { "Core", "Desktop" }, data["Editions"]);
        Assert.Equal(new object?[] { "a", "b" }, data["Wrapped"]);
        Assert.Equal(Array.Empty<object?>(), data["Empty"]);
        Assert.Equal(new object?[] { "one", "two", "three" }, data["Lines"]);
        Assert.Equal(new object?[] { "x", "y" }, data["Unrolled"]);
        Assert.Equal(true, data["Yes"]);
        Assert.Equal(false, data["No"]);
        Assert.Null(data["Nothing"]);
        Assert.Equal(42L, data["Count"]);
        Assert.Equal(-7L, data["Negative"]);
        Assert.Equal("line 1\nline 2 with $nothing expanded", data["Notes"]);
        var psData = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(data["PrivateData"])["PSData"]);
        Assert.Equal(new object?[] { "AWS" }, psData["Tags"]);
    }

    [Fact]
    public void KeysAreCaseInsensitiveLikePowerShellHashtables()
    {
        var data = PowerShellDataFile.Parse("@{ ModuleVersion = '1.0' }");
        Assert.Equal("1.0", data["moduleversion"]);
    }

    [Fact]
    public void ReadsWindowsLineEndings()
    {
        var data = PowerShellDataFile.Parse("@{\r\n    A = 'a'\r\n    B = @(\r\n        'b'\r\n    )\r\n}\r\n");
        Assert.Equal("a", data["A"]);
        Assert.Equal(new object?[] { "b" }, data["B"]);
    }

    [Theory]
    [InlineData("@{ A = $env:HOME }", "only $true, $false and $null")]
    [InlineData("@{ A = \"home: $HOME\" }", "variables and subexpressions are not data")]
    [InlineData("@{ A = \"$(Get-Date)\" }", "variables and subexpressions are not data")]
    [InlineData("@{ A = @\"\ncosts $ 5, $Price\n\"@ }", "variables and subexpressions are not data")]
    [InlineData("@{ A = Get-Date }", "'G' does not start a value")]
    [InlineData("@{ A = 'x'; a = 'y' }", "duplicate key 'a'")]
    [InlineData("@{ A = 'unterminated }", "unterminated string")]
    [InlineData("@{ A = \"ends in a backtick`", "unterminated string")]
    [InlineData("@{ A = 'x'\n", "expected a key")]
    [InlineData("@{ A 'x' }", "expected '='")]
    [InlineData("@{ A = 'x' 'y' }", "expected a new line, ';' or '}' after the value of 'A'")]
    [InlineData("'just a string'", "must be one hashtable literal")]
    [InlineData("@{ A = 'x' } @{ }", "unexpected '@' after the hashtable")]
    public void RejectsWhatIsNotData(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ErrorsNameTheLineAndColumn()
    {
        var error = Assert.Throws<FormatException>(() => PowerShellDataFile.Parse("@{\n    A = 'a'\n    B = $x\n}"));
        Assert.StartsWith("line 3, column 9:", error.Message);
    }

    [Fact]
    public void ManifestListsAcceptOneStringOrAnArray()
    {
        var manifest = new ModuleManifest(PowerShellDataFile.Parse("@{ One = 'a'; Many = 'a', 'b'; None = @(); Bad = @(1) }"));
        Assert.Equal(["a"], manifest.Strings("One"));
        Assert.Equal(["a", "b"], manifest.Strings("Many"));
        Assert.Empty(manifest.Strings("None"));
        Assert.Empty(manifest.Strings("Absent"));
        Assert.Throws<InvalidDataException>(() => manifest.Strings("Bad"));
    }

    [Fact]
    public void NamedFilesCoverEveryFileKey()
    {
        var manifest = new ModuleManifest(PowerShellDataFile.Parse("""
            @{
                RootModule = 'r.dll'; FormatsToProcess = 'f.ps1xml'; TypesToProcess = @('t.ps1xml')
                RequiredAssemblies = 'a.dll'; NestedModules = 'n.psm1'; FileList = 'x.txt', 'y.txt'
                Description = 'not a file'
            }
            """));
        Assert.Equal(["r.dll", "f.ps1xml", "t.ps1xml", "a.dll", "n.psm1", "x.txt", "y.txt"], manifest.NamedFiles());
    }
}
