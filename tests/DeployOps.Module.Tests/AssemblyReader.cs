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
    IReadOnlyList<CmdletParameter> Parameters,
    string? DefaultParameterSet = null)
{
    public string CommandName => $"{Verb}-{Noun}";

    public string FullName => $"{Namespace}.{ClassName}";

    public IEnumerable<string> ParameterNames => Parameters.Select(parameter => parameter.Name);

    /// <summary>
    /// The parameter sets the cmdlet names; one without any has the single set <see cref="CmdletParameter.AllSets"/>. A
    /// DefaultParameterSetName no parameter names is a set too when there are others (PowerShell's Invoke-LightsailRollback
    /// has Previous, of the parameters in all sets, beside Version and LastVerified).
    /// </summary>
    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var named = Parameters.SelectMany(parameter => parameter.Sets).Select(set => set.Name)
                .Where(set => set != CmdletParameter.AllSets).Distinct(StringComparer.Ordinal).ToList();
            if (named.Count > 0 && DefaultParameterSet is { } defaultSet && !named.Contains(defaultSet, StringComparer.Ordinal))
            {
                named.Add(defaultSet);
            }

            return named.Count == 0 ? [CmdletParameter.AllSets] : named;
        }
    }
}

/// <summary>
/// A parameter of a cmdlet: its type's name as help writes it (String[], SwitchParameter, Int32 for int?), its aliases
/// and one entry per [Parameter] attribute.
/// </summary>
public sealed record CmdletParameter(string Name, string TypeName, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetEntry> Sets)
{
    /// <summary>[Parameter] without ParameterSetName: PowerShell's __AllParameterSets, which help calls (All).</summary>
    public const string AllSets = "(All)";

    /// <summary>The [Parameter] that applies in <paramref name="parameterSet"/>, or null when the parameter is not in it.</summary>
    public ParameterSetEntry? In(string parameterSet) =>
        Sets.FirstOrDefault(set => set.Name == parameterSet) ?? Sets.FirstOrDefault(set => set.Name == AllSets);
}

/// <summary>One [Parameter] attribute; <see cref="Position"/> is null for a named parameter.</summary>
public sealed record ParameterSetEntry(string Name, bool Mandatory, int? Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

/// <summary>
/// Reads assemblies with MetadataLoadContext: nothing is loaded or run, so a netstandard2.0 cmdlet
/// assembly can be inspected although no PowerShell exists here. References resolve from the
/// assembly's own folder, this runtime's folder and the PowerShellStandard.Library reference assembly.
/// </summary>
public static class AssemblyReader
{
    private const string Sma = "System.Management.Automation.";

    // ParameterAttribute.AllParameterSets: what a [Parameter] without ParameterSetName belongs to.
    private const string AllParameterSets = "__AllParameterSets";

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
            .Select(DescribeParameter)
            .OfType<CmdletParameter>()
            .DistinctBy(parameter => parameter.Name, StringComparer.Ordinal)
            .ToList();
        if (Named<bool>(cmdlet, "SupportsShouldProcess"))
        {
            // PowerShell adds these two to every cmdlet that supports ShouldProcess, in every set.
            parameters.Add(ShouldProcessParameter("WhatIf", "wi"));
            parameters.Add(ShouldProcessParameter("Confirm", "cf"));
        }

        return new CmdletClass(
            type.Namespace ?? "",
            type.Name,
            type.IsPublic,
            type.IsSealed,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            outputTypes,
            parameters,
            Named<string>(cmdlet, "DefaultParameterSetName"));
    }

    private static CmdletParameter? DescribeParameter(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData();
        var sets = Attributes(attributes, "ParameterAttribute")
            .Select(parameter => new ParameterSetEntry(
                Named<string>(parameter, "ParameterSetName") is { } name && name != AllParameterSets ? name : CmdletParameter.AllSets,
                Named<bool>(parameter, "Mandatory"),
                Named<int?>(parameter, "Position") is { } position and >= 0 ? position : null,
                Named<bool>(parameter, "ValueFromPipeline"),
                Named<bool>(parameter, "ValueFromPipelineByPropertyName")))
            .ToList();
        if (sets.Count == 0)
        {
            return null;
        }

        var aliases = Attributes(attributes, "AliasAttribute")
            .SelectMany(alias => (ReadOnlyCollection<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value!)
            .Select(argument => (string)argument.Value!)
            .ToList();
        // Nullable.GetUnderlyingType compares with this runtime's Nullable<>, never a MetadataLoadContext type.
        var type = property.PropertyType;
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
        {
            type = type.GetGenericArguments()[0];
        }

        return new CmdletParameter(property.Name, type.Name, aliases, sets);
    }

    private static CmdletParameter ShouldProcessParameter(string name, string alias) =>
        new(name, "SwitchParameter", [alias], [new ParameterSetEntry(CmdletParameter.AllSets, false, null, false, false)]);

    // A named argument of an attribute (Mandatory = true), or default when the attribute does not set it.
    private static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(argument => argument.MemberName == name).Select(argument => (T?)argument.TypedValue.Value).FirstOrDefault();

    private static IEnumerable<CustomAttributeData> Attributes(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.Where(attribute => attribute.AttributeType.FullName == Sma + name);
}
