using System.Runtime.InteropServices;

namespace Lethe.Learning.Data;

/// <summary>Record lists read as spans: a deletion can name every record, and an interface enumerator costs calls per record.</summary>
internal static class RecordSpan
{
    /// <summary>The records of an array or list in place; any other sequence copied once.</summary>
    public static ReadOnlySpan<int> Of(IEnumerable<int> records) => records switch
    {
        int[] array => array,
        List<int> list => CollectionsMarshal.AsSpan(list),
        _ => records.ToArray(),
    };
}
