namespace Lethe.Learning.Data;

/// <summary>Seeded samples of row indices without replacement.</summary>
public static class IndexSampling
{
    /// <summary>
    /// Up to <paramref name="count"/> distinct entries of <paramref name="indices"/>, drawn with
    /// <paramref name="generator"/> and returned ascending (so a gather walks memory in order); all of
    /// them when there are no more than <paramref name="count"/>.
    /// </summary>
    public static int[] Draw(ReadOnlySpan<int> indices, int count, Random generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var pool = indices.ToArray();
        if (pool.Length > count)
        {
            // A partial Fisher-Yates shuffle: the first count slots end up a uniform sample.
            for (var i = 0; i < count; i++)
            {
                var j = generator.Next(i, pool.Length);
                (pool[i], pool[j]) = (pool[j], pool[i]);
            }

            pool = pool[..count];
        }

        Array.Sort(pool);
        return pool;
    }
}
