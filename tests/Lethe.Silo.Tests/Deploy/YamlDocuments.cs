using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Lethe.Silo.Tests.Deploy;

/// <summary>YAML (one or many documents) read as JSON nodes, for navigation. Every scalar is a string.</summary>
public static class YamlDocuments
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();
    private static readonly ISerializer AsJson = new SerializerBuilder().JsonCompatible().Build();

    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Reader.Deserialize<object?>(parser) is { } document) documents.Add(JsonNode.Parse(AsJson.Serialize(document))!.AsObject());
        }

        return documents;
    }

    public static JsonObject ParseOne(string yaml) => Parse(yaml).Single();
}
