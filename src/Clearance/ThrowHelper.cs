using System.Diagnostics.CodeAnalysis;

namespace Clearance;

/// <summary>Throw sites kept out of line so that guard clauses on hot paths stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Argument(string paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static T Argument<T>(string paramName, string message) => throw new ArgumentException(message, paramName);
}
