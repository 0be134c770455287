using System.Globalization;
using System.Reflection;

namespace Lethe.Silo.Storage.Schema;

/// <summary>The schema scripts shipped in this assembly (Storage/Schema/&lt;Provider&gt;/NNNN_name.sql).</summary>
internal static class SchemaScripts
{
    public static IReadOnlyList<SchemaScript> For(StoreProvider provider)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var prefix = $"schema/{provider}/";
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name, name[prefix.Length..^".sql".Length]))
            .OrderBy(script => script.Version)
            .ToList();
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
                throw new InvalidOperationException($"Schema scripts for {provider} must be numbered 1, 2, 3, ...; found {scripts[i].Name} at position {i + 1}.");
        }
        return scripts;
    }

    private static SchemaScript Load(Assembly assembly, string resource, string name)
    {
        var separator = name.IndexOf('_', StringComparison.Ordinal);
        if (separator < 1 || !int.TryParse(name.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new InvalidOperationException($"Schema script '{resource}' is not named NNNN_name.sql.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new SchemaScript(version, name, reader.ReadToEnd());
    }
}
