namespace Lethe.Learning.Models;

/// <summary>A named tensor's place inside a model's single parameter buffer.</summary>
public sealed record TensorSlot(string Name, int[] Shape, int Offset)
{
    /// <summary>Number of elements.</summary>
    public int Length { get; } = Shape.Aggregate(1, (product, size) => product * size);

    /// <summary>This tensor's values inside a buffer laid out like the model's parameters.</summary>
    public Span<float> Of(float[] buffer) => buffer.AsSpan(Offset, Length);
}
