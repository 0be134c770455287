using System.Buffers.Binary;
using System.Text;
using Lethe.Learning.Checkpoints;
using Lethe.Learning.Models;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Tests;

public class SafeTensorsTests
{
    [Fact]
    public void The_header_of_a_tiny_model_follows_the_specification_byte_for_byte()
    {
        // A 2-input, 1-output layer: weight [1,2] = (1, -2), bias [1] = 0.5.
        var model = Mlp.CreateZeroed([2, 1]);
        model.Parameters[0] = 1f;
        model.Parameters[1] = -2f;
        model.Parameters[2] = 0.5f;

        var bytes = ModelCheckpoint.Save(model);

        const string json = "{\"__metadata__\":{\"lethe.mlp.sizes\":\"2,1\"}," +
                            "\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}," +
                            "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        var padded = (json.Length + 7) / 8 * 8;                       // the header is padded with spaces to 8 bytes
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(bytes)); // u64 little-endian length first
        Assert.Equal(json + new string(' ', padded - json.Length), Encoding.UTF8.GetString(bytes, 8, padded));
        byte[] data = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x3F]; // 1, -2, 0.5 as little-endian F32
        Assert.Equal(data, bytes[(8 + padded)..]);
    }

    [Fact]
    public void Tensors_and_metadata_round_trip()
    {
        var tensors = new[]
        {
            new NamedTensor("a", [2, 3], [1, 2, 3, 4, 5, 6]),
            new NamedTensor("b", [1], [float.NegativeInfinity]),
            new NamedTensor("empty", [0], []),
        };
        var metadata = new Dictionary<string, string> { ["k"] = "v" };

        var document = SafeTensors.Deserialize(SafeTensors.Serialize(tensors, metadata));

        Assert.Equal("v", document.Metadata["k"]);
        Assert.Equal(tensors.Select(t => t.Name), document.Tensors.Select(t => t.Name));
        foreach (var tensor in tensors)
        {
            Assert.Equal(tensor.Shape, document[tensor.Name].Shape);
            Assert.Equal(tensor.Values, document[tensor.Name].Values);
        }
    }

    [Fact]
    public void A_model_and_its_Adam_state_round_trip()
    {
        var model = Mlp.Create([5, 4, 3], seed: 9);
        var adam = new Adam(model.Parameters.Length);
        var gradients = Enumerable.Range(0, model.Parameters.Length).Select(i => (i % 7) - 3f).ToArray();
        adam.Step(model.Parameters, gradients);

        var (loaded, state, _) = ModelCheckpoint.Load(ModelCheckpoint.Save(model, adam));

        Assert.Equal(model.Parameters, loaded.Parameters);
        Assert.Equal(model.Sizes, loaded.Sizes);
        Assert.NotNull(state);
        Assert.Equal(1, state.Steps);
        Assert.Equal(adam.SaveState().Buffers["v"], state.Buffers["v"]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "shorter")]
    [InlineData(new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "exceeds")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'[' }, "not valid JSON")]
    public void Malformed_files_are_rejected(byte[] bytes, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Deserialize(bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_whose_byte_range_does_not_match_its_shape_is_rejected()
    {
        var bytes = SafeTensors.Serialize([new NamedTensor("x", [2], [1, 2])]);
        var text = Encoding.UTF8.GetString(bytes);
        var tampered = Encoding.UTF8.GetBytes(text.Replace("\"shape\":[2]", "\"shape\":[3]", StringComparison.Ordinal));
        var error = Assert.Throws<InvalidDataException>(() => SafeTensors.Deserialize(tampered));
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }
}
