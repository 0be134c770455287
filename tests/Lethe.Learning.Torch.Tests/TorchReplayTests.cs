using Lethe.Learning.Checkpoints;
using Lethe.Learning.Sharding;
using Lethe.Learning.Tests;

namespace Lethe.Learning.Torch.Tests;

public class TorchReplayTests
{
    private const long RunSeed = 41;
    private const int Shard = 2;

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Replaying_a_shard_on_torch_from_its_checkpoint_is_byte_identical_to_training_it_from_scratch_on_torch(string optimiser)
    {
        var options = new ShardingOptions { Slices = 3, Training = Backends.Recipe(optimiser, epochs: 2) };
        int[][] slices = [.. Enumerable.Range(0, 3).Select(slice => Enumerable.Range(10_000 + (slice * 400), 400).ToArray())];
        var trained = Run(slices, 0, default, options);
        HashSet<int> forget = [.. slices[1].Take(7), .. slices[2].Where((_, i) => i % 9 == 0)];
        int[][] retained = [.. slices.Select(slice => slice.Where(r => !forget.Contains(r)).ToArray())];

        var replayed = Run(retained, 1, trained.Checkpoints[0], options);
        var fromScratch = Run(retained, 0, default, options);

        Assert.Equal(fromScratch.Checkpoints.Skip(1), replayed.Checkpoints);
        Assert.Equal(ModelCheckpoint.Save(fromScratch.Model), ModelCheckpoint.Save(replayed.Model));
        Assert.NotEqual(ModelCheckpoint.Save(trained.Model), ModelCheckpoint.Save(replayed.Model));
        Assert.Equal(2L * (retained[0].Length + retained[1].Length) + (2L * retained.Sum(s => s.Length)), replayed.SamplesTrained);
    }

    private static ShardRun Run(int[][] slices, int fromSlice, ReadOnlySpan<byte> checkpoint, ShardingOptions options) =>
        TorchShardTrainer.Run(TestData.MnistTrain, Shard, slices, fromSlice, checkpoint, options, RunSeed, TorchCpu.Device);
}
