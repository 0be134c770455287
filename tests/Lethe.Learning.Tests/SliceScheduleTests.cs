using Lethe.Learning.Sharding;

namespace Lethe.Learning.Tests;

public class SliceScheduleTests
{
    [Theory]
    [InlineData(6, 5, 2)] // the default: 2E/(R+1) = 2
    [InlineData(8, 4, 3)] // 3.2 rounds to 3
    [InlineData(5, 4, 2)]
    [InlineData(7, 4, 3)] // 2.8 rounds to 3
    [InlineData(5, 9, 1)]
    [InlineData(1, 8, 1)] // 0.22: every stage trains at least once
    [InlineData(3, 1, 3)] // one slice: the shard in one piece
    public void Sisa_trains_every_stage_2E_over_R_plus_1_epochs_rounded_and_at_least_1(int epochs, int slices, int perStage) =>
        Assert.Equal(Enumerable.Repeat(perStage, slices), SliceSchedule.Sisa.StageEpochs(epochs, slices));

    [Theory]
    [InlineData(6, 5)]
    [InlineData(5, 4)]
    [InlineData(5, 9)]
    public void When_2E_over_R_plus_1_is_whole_a_sisa_shard_costs_E_passes_over_its_records(int epochs, int slices)
    {
        // Stage j trains on (j + 1)/R of the shard.
        var passes = SliceSchedule.Sisa.StageEpochs(epochs, slices).Select((e, j) => e * (j + 1.0) / slices).Sum();
        Assert.Equal(epochs, passes, 12);
    }

    [Fact]
    public void Every_stage_trains_E_epochs_under_the_every_stage_schedule() =>
        Assert.Equal([8, 8, 8, 8], SliceSchedule.EveryStage.StageEpochs(8, 4));

    [Fact]
    public void The_options_give_the_schedule_of_their_epochs_and_slices_and_reject_what_has_none()
    {
        var options = new ShardingOptions();
        Assert.Equal([2, 2, 2, 2, 2], options.StageEpochs());
        Assert.Equal([4, 4], (options with { Slices = 2, Schedule = SliceSchedule.EveryStage, Training = options.Training with { Epochs = 4 } }).StageEpochs());
        Assert.ThrowsAny<ArgumentException>(() => (options with { Training = options.Training with { Epochs = 0 } }).StageEpochs());
        Assert.ThrowsAny<ArgumentException>(() => (options with { Schedule = (SliceSchedule)7 }).Validate());
        Assert.ThrowsAny<ArgumentException>(() => SliceSchedule.Sisa.StageEpochs(4, 0));
        Assert.Equal(["sisa", "every-stage"], new[] { SliceSchedule.Sisa, SliceSchedule.EveryStage }.Select(s => s.ToName()));
    }
}
