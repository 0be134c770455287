namespace Lethe.Learning.Blas;

/// <summary>Whether a GEMM operand is used as stored or transposed (CBLAS values).</summary>
public enum Transpose
{
    /// <summary>Use the operand as stored.</summary>
    No = 111,

    /// <summary>Use the transpose of the operand.</summary>
    Yes = 112,
}
