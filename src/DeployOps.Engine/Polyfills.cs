// netstandard2.0 lacks the compiler support types that records and init accessors need.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
