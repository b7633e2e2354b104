using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace DeployOps.Commands;

/// <summary>
/// Runs when the module is imported and removed. Two jobs:
/// <list type="bullet">
/// <item>Refuse to load next to AWSSDK.Core 3 (AWS.Tools 4) with a message that says what to do, instead of the
/// runtime's FileLoadException on first use (see ARCHITECTURE.md, "Living with AWS.Tools in one session").</item>
/// <item>On Windows PowerShell 5.1 (.NET Framework, no binding redirects for powershell.exe), resolve the module's
/// own dependencies (System.Text.Json, System.Memory, ...) from its bin folder by name, whatever version a
/// dependency asks for. PowerShell 7 resolves them itself.</item>
/// </list>
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string BinFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

    /// <summary>Called by Import-Module.</summary>
    public void OnImport()
    {
        var loadedCore = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName()).FirstOrDefault(n => n.Name == "AWSSDK.Core");
        if (loadedCore?.Version is { Major: < 4 } version)
        {
            throw new InvalidOperationException(
                $"This session already loaded AWSSDK.Core {version} (AWS.Tools 4 or older). DeployOps needs AWSSDK.Core 4, the one AWS.Tools 5 uses: " +
                "import DeployOps in a new session, or update AWS.Tools to version 5.");
        }

        if (IsNetFramework)
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromBin;
        }

        // Load AWSSDK.Core (after the check above) and the engine now, so their types are there right after Import-Module:
        // a script can build the -Credential it passes ([Amazon.Runtime.BasicAWSCredentials]::new(...)) and name the
        // output types ([DeployOps.Health.DeploymentHealthReport]) before the first DeployOps call.
        _ = typeof(Amazon.Runtime.AWSCredentials).Assembly;
        _ = typeof(DeployOps.Aws.AwsSession).Assembly;
    }

    /// <summary>Called by Remove-Module.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsNetFramework)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromBin;
        }
    }

    private static bool IsNetFramework =>
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private static Assembly? ResolveFromBin(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        var candidate = Path.Combine(BinFolder, name + ".dll");
        return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
    }
}
