using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using DeployOps.HelpCompiler;

namespace DeployOps.Module.Tests;

/// <summary>
/// The module as `dotnet build` lays it out at the repository root (build/DeployOps.Module.targets),
/// read once per test run. Paths come from this assembly's metadata, written by the build.
/// </summary>
public sealed class LaidOutModule
{
    private static readonly Lazy<LaidOutModule> Instance = new(() => new LaidOutModule());

    /// <summary>The help file PowerShell looks for below the module root (see build/DeployOps.Module.targets).</summary>
    public const string HelpFile = "en-US/DeployOps.dll-Help.xml";

    /// <summary>The help sources, one Markdown file per cmdlet, that the build compiles into <see cref="HelpFile"/>.</summary>
    public const string HelpSourceFolder = "docs/help";

    private LaidOutModule()
    {
        Root = BuildMetadata("DeployOps.ModuleRoot");
        HelpSources = HelpMarkdownReader.ReadFolder(PathOf(HelpSourceFolder), Path.GetFileName(HelpFile));
        Manifest = ModuleManifest.Load(PathOf("DeployOps.psd1"));
        Cmdlets = AssemblyReader.ReadCmdlets(PathOf("bin/DeployOps.dll"), SystemManagementAutomationPath);
        PublicEngineTypes = AssemblyReader.ReadPublicTypeNames(PathOf("bin/DeployOps.Engine.dll"));
    }

    public static LaidOutModule Current => Instance.Value;

    /// <summary>The PowerShellStandard.Library reference assembly in NuGet's global packages folder.</summary>
    public static string SystemManagementAutomationPath => BuildMetadata("DeployOps.SystemManagementAutomation");

    public string Root { get; }

    public ModuleManifest Manifest { get; }

    public IReadOnlyList<CmdletClass> Cmdlets { get; }

    public IReadOnlySet<string> PublicEngineTypes { get; }

    public HelpSources HelpSources { get; }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public XDocument LoadXml(string relativePath) => XDocument.Load(PathOf(relativePath));

    private static string BuildMetadata(string key) =>
        typeof(LaidOutModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value
        ?? throw new InvalidOperationException($"the build did not record {key}");
}
