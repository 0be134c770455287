using Lethe.Learning.Compute;
using Lethe.Learning.Sharding;
using Lethe.Learning.Tests;

namespace Lethe.Learning.Torch.Tests;

public class TorchReplayTests
{
    private const long RunSeed = 41;
    private const int Index = 2;
    private static readonly int[][] Slices = [.. Enumerable.Range(0, 3).Select(slice => Enumerable.Range(10_000 + (slice * 400), 400).ToArray())];

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Forgetting_on_torch_replays_from_a_checkpoint_and_gives_the_bytes_of_training_the_shard_from_scratch_on_torch(string optimiser)
    {
        var options = Options(optimiser);
        var shard = Shard.Train(TestData.MnistTrain, Index, Slices, options, RunSeed, TorchCpu.Backend);
        HashSet<int> forget = [.. Slices[1].Take(7), .. Slices[2].Where((_, i) => i % 9 == 0)];

        var (replayed, report) = shard.Forget(TestData.MnistTrain, forget);
        var fromScratch = Shard.Train(TestData.MnistTrain, Index, Retained(forget), options, RunSeed, TorchCpu.Backend);

        Assert.Equal((1, ShardUpdateKind.Replay), (report.Plan.FromSlice, report.Plan.Kind));
        Assert.Equal(fromScratch.Checkpoints.Select(c => c.ToArray()), replayed.Checkpoints.Select(c => c.ToArray()));
        Assert.Equal(fromScratch.ModelBytes(), replayed.ModelBytes());
        Assert.NotEqual(shard.ModelBytes(), replayed.ModelBytes());
        Assert.Equal(shard.Checkpoints[0].ToArray(), replayed.Checkpoints[0].ToArray());
    }

    [Fact]
    public void A_shard_whose_checkpoints_another_engine_wrote_retrains_on_torch_instead_of_replaying()
    {
        var options = Options("sgd");
        var onBlas = Shard.Train(TestData.MnistTrain, Index, Slices, options, RunSeed, BlasBackend.Instance);
        var moved = Shard.Restore(Index, onBlas.Slices, [.. onBlas.Checkpoints.Select(c => c.ToArray())], null, default, options, RunSeed, TorchCpu.Backend);
        HashSet<int> forget = [.. Slices[2].Take(3)];

        var (updated, report) = moved.Forget(TestData.MnistTrain, forget);

        Assert.Equal((0, ShardUpdateKind.Retrain), (report.Plan.FromSlice, report.Plan.Kind));
        var fromScratch = Shard.Train(TestData.MnistTrain, Index, Retained(forget), options, RunSeed, TorchCpu.Backend);
        Assert.Equal(fromScratch.ModelBytes(), updated.ModelBytes());
        Assert.Throws<InvalidDataException>(() => TorchCpu.Backend.TrainStages(
            TestData.MnistTrain, Index, Retained(forget), 2, onBlas.Checkpoints[1], options, RunSeed, null, null, default));
    }

    private static ShardingOptions Options(string optimiser) => new() { Slices = 3, Training = Backends.Recipe(optimiser, epochs: 2) };

    private static int[][] Retained(HashSet<int> forget) => [.. Slices.Select(slice => slice.Where(r => !forget.Contains(r)).ToArray())];
}
