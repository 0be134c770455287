using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Lethe.Learning.Checkpoints;

/// <summary>A named float32 tensor.</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Values);

/// <summary>The contents of a safetensors file: tensors in file order and the string metadata.</summary>
public sealed record SafeTensorsDocument(IReadOnlyList<NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public NamedTensor this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"No tensor '{name}' in the checkpoint.");
}

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, padded with spaces to 8 bytes, then the
/// raw little-endian tensor bytes. Only F32 tensors are written or read.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const int Alignment = 8;

    /// <summary>Serialises tensors (in the given order) and optional metadata.</summary>
    public static byte[] Serialize(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors stores little-endian data.");
        var header = Header(tensors, metadata);
        var padded = (header.Length + Alignment - 1) / Alignment * Alignment;
        var dataLength = tensors.Sum(t => (long)t.Values.Length * sizeof(float));
        var bytes = new byte[8 + padded + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        header.CopyTo(bytes, 8);
        bytes.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        var offset = 8 + padded;
        foreach (var tensor in tensors)
        {
            MemoryMarshal.AsBytes(tensor.Values.AsSpan()).CopyTo(bytes.AsSpan(offset));
            offset += tensor.Values.Length * sizeof(float);
        }

        return bytes;
    }

    /// <summary>Parses a safetensors file.</summary>
    /// <exception cref="InvalidDataException">The bytes do not follow the format.</exception>
    public static SafeTensorsDocument Deserialize(ReadOnlySpan<byte> bytes)
    {
        using var json = ParseHeader(bytes, out var data);
        var metadata = new Dictionary<string, string>();
        var tensors = new List<(long Begin, NamedTensor Tensor)>();
        foreach (var entry in json.RootElement.EnumerateObject())
        {
            if (entry.Name == MetadataKey) ReadMetadata(entry.Value, metadata);
            else tensors.Add(ReadTensor(entry, data));
        }

        CheckCoverage(tensors, data.Length);
        return new SafeTensorsDocument(tensors.OrderBy(t => t.Begin).Select(t => t.Tensor).ToArray(), metadata);
    }

    /// <summary>The string metadata of a safetensors file, read from its header alone.</summary>
    /// <exception cref="InvalidDataException">The header does not follow the format.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(ReadOnlySpan<byte> bytes)
    {
        using var json = ParseHeader(bytes, out _);
        var metadata = new Dictionary<string, string>();
        if (json.RootElement.TryGetProperty(MetadataKey, out var entry)) ReadMetadata(entry, metadata);
        return metadata;
    }

    private static JsonDocument ParseHeader(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> data)
    {
        if (bytes.Length < 8) throw new InvalidDataException("safetensors: file shorter than its 8-byte header length.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new InvalidDataException($"safetensors: header length {headerLength} exceeds the file.");
        data = bytes[(8 + (int)headerLength)..];
        try
        {
            return JsonDocument.Parse(Encoding.UTF8.GetString(bytes.Slice(8, (int)headerLength)).TrimEnd(' '));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"safetensors: header is not valid JSON ({e.Message}).", e);
        }
    }

    private static void ReadMetadata(JsonElement entry, Dictionary<string, string> metadata)
    {
        foreach (var pair in entry.EnumerateObject()) metadata[pair.Name] = pair.Value.GetString() ?? "";
    }

    private static byte[] Header(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (tensor.Name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved.", nameof(tensors));
                if (tensor.Shape.Aggregate(1L, (p, s) => p * s) != tensor.Values.Length)
                    throw new ArgumentException($"Tensor '{tensor.Name}' has {tensor.Values.Length} values for shape [{string.Join(',', tensor.Shape)}].", nameof(tensors));
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (var size in tensor.Shape) writer.WriteNumberValue(size);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += (long)tensor.Values.Length * sizeof(float);
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static (long Begin, NamedTensor Tensor) ReadTensor(JsonProperty entry, ReadOnlySpan<byte> data)
    {
        var dtype = entry.Value.GetProperty("dtype").GetString();
        if (dtype != "F32") throw new InvalidDataException($"safetensors: tensor '{entry.Name}' has dtype {dtype}; only F32 is supported.");
        var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var count = shape.Aggregate(1L, (p, s) => p * s);
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != count * sizeof(float))
            throw new InvalidDataException($"safetensors: tensor '{entry.Name}' has byte range [{string.Join(',', offsets)}] that does not fit shape [{string.Join(',', shape)}] in {data.Length} data bytes.");
        var values = new float[count];
        data[(int)offsets[0]..(int)offsets[1]].CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        return (offsets[0], new NamedTensor(entry.Name, shape, values));
    }

    private static void CheckCoverage(List<(long Begin, NamedTensor Tensor)> tensors, int dataLength)
    {
        long expected = 0;
        foreach (var (begin, tensor) in tensors.OrderBy(t => t.Begin))
        {
            if (begin != expected) throw new InvalidDataException($"safetensors: tensor '{tensor.Name}' starts at byte {begin}; expected {expected} (holes and overlaps are not allowed).");
            expected += (long)tensor.Values.Length * sizeof(float);
        }

        if (expected != dataLength) throw new InvalidDataException($"safetensors: tensors cover {expected} of {dataLength} data bytes.");
    }
}
