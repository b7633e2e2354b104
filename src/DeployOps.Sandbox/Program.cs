using System;
using System.Threading.Tasks;

namespace DeployOps.Sandbox;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        Console.Error.WriteLine("The sandbox host is not written yet.");
        return Task.FromResult(1);
    }
}
