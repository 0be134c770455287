namespace Lethe.Learning.Data;

/// <summary>
/// The affine map from a pixel byte to a model input, as torchvision's <c>ToTensor</c> then
/// <c>Normalize(mean, std)</c>: <c>x = (pixel / 255 - mean) / std</c>.
/// </summary>
public sealed record Normalisation(float Mean, float Std)
{
    /// <summary>MNIST's training-set statistics, as torchvision's examples use.</summary>
    public static readonly Normalisation Mnist = new(0.1307f, 0.3081f);

    /// <summary>Fashion-MNIST's training-set statistics.</summary>
    public static readonly Normalisation FashionMnist = new(0.2860f, 0.3530f);

    /// <summary>Pixels as they are, scaled to [0, 1].</summary>
    public static readonly Normalisation UnitScale = new(0f, 1f);

    /// <summary>Multiplier applied to a pixel byte.</summary>
    public float Scale => 1f / (255f * Std);

    /// <summary>Offset added after scaling.</summary>
    public float Shift => -Mean / Std;
}
