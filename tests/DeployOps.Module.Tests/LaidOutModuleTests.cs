using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using DeployOps.HelpCompiler;
using Xunit;

namespace DeployOps.Module.Tests;

/// <summary>
/// The module `dotnet build` laid out at the repository root. While no cmdlet exists the per-cmdlet
/// checks have nothing to iterate over; they apply to each cmdlet the moment it lands.
/// </summary>
public class LaidOutModuleTests
{
    private static LaidOutModule Module => LaidOutModule.Current;

    // Assert.Empty would cut long problem lines short: print each in full.
    private static void AssertNone(IEnumerable<string> problems)
    {
        var all = problems.ToList();
        Assert.True(all.Count == 0, $"{all.Count} problem(s):\n{string.Join("\n", all)}");
    }

    [Fact]
    public void EveryFileTheManifestNamesExists()
    {
        var named = Module.Manifest.NamedFiles().ToList();
        Assert.Contains("bin/DeployOps.dll", named);
        Assert.All(named, file => Assert.True(File.Exists(Module.PathOf(file)), $"the manifest names {file}, which is missing"));
    }

    [Fact]
    public void HelpIsWherePowerShellLooksForIt() =>
        Assert.True(File.Exists(Module.PathOf(LaidOutModule.HelpFile)), $"{LaidOutModule.HelpFile} is missing below the module root");

    [Fact]
    public void BinHoldsTheDependenciesButNeverPowerShell()
    {
        var shipped = Directory.GetFiles(Module.PathOf("bin")).Select(file => Path.GetFileName(file)).ToHashSet();
        Assert.Superset(new HashSet<string> { "DeployOps.dll", "DeployOps.Engine.dll", "AWSSDK.Core.dll", "System.Text.Json.dll" }, shipped);
        Assert.DoesNotContain("System.Management.Automation.dll", shipped);
    }

    [Fact]
    public void ModuleVersionIsTheBuildVersion()
    {
        var buildVersion = XDocument.Load(Module.PathOf("Directory.Build.props")).Descendants("Version").Single().Value;
        Assert.Equal(buildVersion, Module.Manifest.Text("ModuleVersion"));
    }

    [Fact]
    public void ManifestTargetsWindowsPowerShellAndPowerShell7()
    {
        Assert.Equal("bin/DeployOps.dll", Module.Manifest.Text("RootModule"));
        Assert.Equal(["Core", "Desktop"], Module.Manifest.Strings("CompatiblePSEditions").Order());
        Assert.Equal("5.1", Module.Manifest.Text("PowerShellVersion"));
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("VariablesToExport")]
    [InlineData("AliasesToExport")]
    public void NothingButCmdletsIsExported(string key)
    {
        Assert.True(Module.Manifest.Has(key), $"{key} must be explicit: absent means export everything");
        Assert.Empty(Module.Manifest.Strings(key));
    }

    [Fact]
    public void CmdletsToExportIsExactlyTheCmdletsInTheAssembly()
    {
        Assert.True(Module.Manifest.Has("CmdletsToExport"), "CmdletsToExport must be explicit");
        AssertNone(ModuleContract.ExportProblems(Module.Manifest.Strings("CmdletsToExport"), Module.Cmdlets.Select(cmdlet => cmdlet.CommandName)));
    }

    [Fact]
    public void CmdletClassesFollowTheConventions() =>
        AssertNone(Module.Cmdlets.SelectMany(ModuleContract.ClassProblems));

    [Fact]
    public void EveryCmdletHasCompleteHelp() =>
        AssertNone(ModuleContract.HelpProblems(Module.LoadXml(LaidOutModule.HelpFile), Module.Cmdlets));

    [Fact]
    public void HelpSourcesFollowTheLayout() =>
        AssertNone(Module.HelpSources.Errors.Select(error => error.ToString()));

    [Fact]
    public void HelpSourcesDocumentEveryCmdletAsItsClassDeclaresIt() =>
        AssertNone(ModuleContract.HelpSourceProblems(Module.HelpSources.Commands, Module.Cmdlets));

    [Fact]
    public void TheLaidOutHelpIsCompiledFromTheSources() =>
        Assert.True(
            MamlWriter.Text(MamlWriter.Document(Module.HelpSources.Commands)) == File.ReadAllText(Module.PathOf(LaidOutModule.HelpFile)),
            $"{LaidOutModule.HelpFile} is not what {LaidOutModule.HelpSourceFolder} compiles to: rebuild (dotnet build DeployOps.sln)");

    [Fact]
    public void FormatViewsShowEngineTypesAndCoverEveryOutputType()
    {
        var formats = Module.Manifest.Strings("FormatsToProcess");
        Assert.NotEmpty(formats);
        var views = formats.SelectMany(format => ModuleContract.ViewTypeNames(Module.LoadXml(format)));
        AssertNone(ModuleContract.FormatProblems(views, Module.PublicEngineTypes, Module.Cmdlets));
    }
}
