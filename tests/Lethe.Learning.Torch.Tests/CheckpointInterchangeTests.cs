using Lethe.Learning.Checkpoints;
using Lethe.Learning.Optimisers;

namespace Lethe.Learning.Torch.Tests;

public class CheckpointInterchangeTests
{
    private static readonly int[] Records = Backends.FirstRecords(640);

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void A_blas_checkpoint_loaded_and_saved_again_by_the_torch_backend_is_the_same_file(string optimiser)
    {
        var options = Backends.Recipe(optimiser);
        var written = Backends.TrainOnBlas(options, Records);

        var (model, state) = TorchCheckpoint.Load(written, TorchCpu.Device);
        using var owned = model;
        using var restored = TorchOptimiser.Create(model, options);
        restored.LoadState(state!);

        Assert.Equal(written, TorchCheckpoint.Save(model, restored));
    }

    [Theory]
    [InlineData("sgd", new[] { "momentum" })]
    [InlineData("adam", new[] { "m", "v" })]
    public void A_torch_checkpoint_holds_lethes_tensor_names_and_optimiser_buffers_and_lethe_writes_it_back_unchanged(string optimiser, string[] buffers)
    {
        var options = Backends.Recipe(optimiser);
        var written = Backends.TrainOnTorch(options, Records);

        var document = SafeTensors.Deserialize(written);
        string[] layers = ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias"];
        Assert.Equal([.. layers, .. buffers.Select(b => "optimiser." + b)], document.Tensors.Select(t => t.Name));
        Assert.Equal([256, 784], document["layers.0.weight"].Shape);
        var (model, state, _) = ModelCheckpoint.Load(written);
        Assert.Equal(Records.Length / options.BatchSize, state!.Steps);
        Assert.All(buffers, b => Assert.Contains(state.Buffers[b], value => value != 0f));

        IOptimiser lethe = options.CreateOptimiser(model.Parameters.Length);
        lethe.LoadState(state);
        Assert.Equal(written, ModelCheckpoint.Save(model, lethe));
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Training_resumed_from_one_checkpoint_follows_the_same_path_on_both_backends_and_needs_its_optimiser_buffers(string optimiser)
    {
        var options = Backends.Recipe(optimiser);
        var midway = Backends.TrainOnTorch(options, Records);
        var more = Backends.FirstRecords(1280)[640..];

        var onTorch = Backends.Model(Backends.TrainOnTorch(options, more, midway, slice: 1));
        var onBlas = Backends.Model(Backends.TrainOnBlas(options, more, midway, slice: 1));
        var withoutBuffers = Backends.Model(Backends.TrainOnBlas(options, more, WithZeroedBuffers(midway, options), slice: 1));

        var between = Backends.MaxAbsDifference(onTorch.Parameters, onBlas.Parameters);
        Assert.True(between < 1e-4f, $"The backends differ by {between} after the same 10 steps from one checkpoint.");
        Assert.True(Backends.MaxAbsDifference(onTorch.Parameters, withoutBuffers.Parameters) > 100 * between,
            "Resuming without the optimiser's buffers should lead elsewhere; the buffers were not read.");
    }

    private static byte[] WithZeroedBuffers(byte[] checkpoint, Training.TrainingOptions options)
    {
        var (model, state, _) = ModelCheckpoint.Load(checkpoint);
        var zeroed = state! with { Buffers = state.Buffers.ToDictionary(b => b.Key, b => new float[b.Value.Length]) };
        var optimiser = options.CreateOptimiser(model.Parameters.Length);
        optimiser.LoadState(zeroed);
        return ModelCheckpoint.Save(model, optimiser);
    }
}
