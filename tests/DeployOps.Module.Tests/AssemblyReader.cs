using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DeployOps.Module.Tests;

/// <summary>A class carrying [Cmdlet], as its metadata declares it.</summary>
public sealed record CmdletClass(
    string Namespace,
    string ClassName,
    bool IsPublic,
    bool IsSealed,
    string Verb,
    string Noun,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<string> Parameters)
{
    public string CommandName => $"{Verb}-{Noun}";

    public string FullName => $"{Namespace}.{ClassName}";
}

/// <summary>
/// Reads assemblies with MetadataLoadContext: nothing is loaded or run, so a netstandard2.0 cmdlet
/// assembly can be inspected although no PowerShell exists here. References resolve from the
/// assembly's own folder, this runtime's folder and the PowerShellStandard.Library reference assembly.
/// </summary>
public static class AssemblyReader
{
    private const string Sma = "System.Management.Automation.";

    public static IReadOnlyList<CmdletClass> ReadCmdlets(string assemblyPath, string systemManagementAutomationPath) =>
        Read(assemblyPath, [systemManagementAutomationPath], assembly => assembly.GetTypes()
            .Select(DescribeCmdlet)
            .OfType<CmdletClass>()
            .OrderBy(cmdlet => cmdlet.CommandName, StringComparer.Ordinal)
            .ToList());

    public static IReadOnlySet<string> ReadPublicTypeNames(string assemblyPath) =>
        Read(assemblyPath, [], assembly => assembly.GetExportedTypes().Select(type => type.FullName!).ToHashSet(StringComparer.Ordinal));

    private static T Read<T>(string assemblyPath, string[] extraReferences, Func<Assembly, T> read)
    {
        var references = Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll")
            .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
            .Concat(extraReferences);
        using var context = new MetadataLoadContext(new PathAssemblyResolver(references));
        return read(context.LoadFromAssemblyPath(assemblyPath));
    }

    private static CmdletClass? DescribeCmdlet(Type type)
    {
        var cmdlet = Attributes(type.GetCustomAttributesData(), "CmdletAttribute").FirstOrDefault();
        if (cmdlet is null)
        {
            return null;
        }

        var outputTypes = Attributes(type.GetCustomAttributesData(), "OutputTypeAttribute")
            .SelectMany(attribute => (ReadOnlyCollection<CustomAttributeTypedArgument>)attribute.ConstructorArguments[0].Value!)
            .Select(argument => argument.Value is Type named ? named.FullName! : (string)argument.Value!)
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => Attributes(property.GetCustomAttributesData(), "ParameterAttribute").Any())
            .Select(property => property.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new CmdletClass(
            type.Namespace ?? "",
            type.Name,
            type.IsPublic,
            type.IsSealed,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            outputTypes,
            parameters);
    }

    private static IEnumerable<CustomAttributeData> Attributes(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.Where(attribute => attribute.AttributeType.FullName == Sma + name);
}
