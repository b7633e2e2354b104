using System;
using System.IO;
using DeployOps.HelpCompiler;

// dotnet DeployOps.HelpCompiler.dll <help folder> <output .xml>
// Reads every cmdlet help file of the folder (docs/help/Verb-Noun.md) and writes their MAML to the output file. A
// mistake in a source is printed as "file(line): error DOHELP: ..." (MSBuild shows it as a build error) and nothing is
// written.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: DeployOps.HelpCompiler <help folder> <output file, e.g. out/en-US/DeployOps.dll-Help.xml>");
    return 2;
}

var (folder, output) = (args[0], args[1]);
if (!Directory.Exists(folder))
{
    Console.Error.WriteLine($"error DOHELP: the help folder '{folder}' does not exist");
    return 1;
}

var sources = HelpMarkdownReader.ReadFolder(folder, Path.GetFileName(output));
foreach (var error in sources.Errors)
{
    Console.Error.WriteLine(error);
}

if (sources.Errors.Count > 0)
{
    return 1;
}

if (sources.Commands.Count == 0)
{
    Console.Error.WriteLine($"error DOHELP: '{folder}' has no cmdlet help (Verb-Noun.md)");
    return 1;
}

MamlWriter.Save(MamlWriter.Document(sources.Commands), output);
Console.WriteLine($"DeployOps.HelpCompiler: {sources.Commands.Count} cmdlets from {folder} -> {output}");
return 0;
