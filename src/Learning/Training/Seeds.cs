namespace Lethe.Learning.Training;

/// <summary>
/// Derives the seed of every random choice from the run seed and where the choice is made
/// (shard, slice, epoch, purpose), so any piece of training can be replayed on its own. Run seeds are
/// <see cref="long"/> everywhere; only the generators they derive take 32-bit seeds.
/// </summary>
public static class Seeds
{
    /// <summary>Marks the parts of a derivation path that are not shard/slice/epoch numbers.</summary>
    public enum Purpose
    {
        /// <summary>Initial weights.</summary>
        Initialisation = 1,

        /// <summary>The order of examples within an epoch.</summary>
        Shuffle = 2,

        /// <summary>Sampling, e.g. which retain examples a Fisher estimate uses.</summary>
        Sampling = 3,

        /// <summary>Noise added by an unlearning method.</summary>
        Noise = 4,

        /// <summary>Placement of records over shards and slices.</summary>
        Placement = 5,

        /// <summary>Who owns each record, in experiments.</summary>
        Ownership = 6,

        /// <summary>Which users ask for deletion, in experiments.</summary>
        Requests = 7,
    }

    /// <summary>A generator seeded from the run seed and a path of integers: every random choice starts here.</summary>
    public static Random Generator(long runSeed, Purpose purpose, params ReadOnlySpan<int> path) => new(Derive(runSeed, purpose, path));

    /// <summary>A 32-bit seed for <see cref="Random"/> from the run seed and a path of integers.</summary>
    public static int Derive(long runSeed, Purpose purpose, params ReadOnlySpan<int> path)
    {
        var state = Mix(unchecked((ulong)runSeed) ^ 0x9E3779B97F4A7C15UL);
        state = Mix(state ^ (ulong)purpose);
        foreach (var part in path) state = Mix(state ^ unchecked((ulong)(uint)part + 0x632BE59BD9B4E019UL));
        return unchecked((int)(state ^ (state >> 32)));
    }

    // SplitMix64's finaliser: a bijection that spreads every input bit over the output.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
