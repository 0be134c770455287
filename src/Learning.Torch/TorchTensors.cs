using static TorchSharp.torch;

namespace Lethe.Learning.Torch;

/// <summary>Copies between .NET buffers and float32 tensors on any device.</summary>
internal static class TorchTensors
{
    /// <summary>A float32 tensor of <paramref name="shape"/> on <paramref name="device"/> holding a copy of <paramref name="values"/>.</summary>
    public static Tensor From(ReadOnlySpan<float> values, long[] shape, Device device)
    {
        var host = empty(shape, ScalarType.Float32);
        host.data<float>().CopyFrom(values, 0, 0);
        if (device.type == TorchSharp.DeviceType.CPU) return host;
        using (host) return host.to(device);
    }

    /// <summary>Copies every element of <paramref name="tensor"/> (float32, any device) into <paramref name="destination"/>.</summary>
    public static void CopyTo(Tensor tensor, Span<float> destination)
    {
        if (tensor.numel() != destination.Length)
            throw new ArgumentException($"A tensor of {tensor.numel()} elements does not fit {destination.Length} values.", nameof(destination));
        using var scope = NewDisposeScope();
        tensor.detach().to(ScalarType.Float32, CPU).contiguous().data<float>().CopyTo(destination, 0, 0);
    }
}
