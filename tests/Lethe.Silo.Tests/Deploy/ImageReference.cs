using System.Text.RegularExpressions;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>Container image references (<c>name[:tag][@digest]</c>) and whether one is pinned.</summary>
public static partial class ImageReference
{
    /// <summary>The tag (null when there is none: the registry's <c>latest</c>).</summary>
    public static string? Tag(string image)
    {
        var name = image.Split('@')[0];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    /// <summary>A digest, or a tag that names a version (digits and dots first: <c>1.0.0</c>, <c>15.10-bookworm</c>), never <c>latest</c> or none.</summary>
    public static bool IsPinned(string image) =>
        image.Contains("@sha256:", StringComparison.Ordinal) || (Tag(image) is { } tag && Version().IsMatch(tag));

    [GeneratedRegex(@"^\d+(\.\d+)+")]
    private static partial Regex Version();
}
