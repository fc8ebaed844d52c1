using System.Text.Json;
using System.Text.Json.Serialization;

namespace DigitsWeb;

/// <summary>What the page posts to <c>/predict</c> and <c>/correct</c>.</summary>
public sealed class DrawingRequest
{
    /// <summary>The 32x32 bitmap, row-major, each pixel 0 or 1.</summary>
    public float[]? Pixels { get; set; }

    /// <summary>For <c>/correct</c>: the digit the drawing really is, 0-9.</summary>
    public int? Label { get; set; }
}

/// <summary>A prediction.</summary>
/// <param name="Digit">The most probable class.</param>
/// <param name="Probabilities">The softmax of the 10 logits.</param>
/// <param name="Counts">The 8x8 block counts (0-16) the model saw, row-major.</param>
/// <param name="Version">The parameters' version: 0 as loaded, +1 per correction.</param>
public sealed record PredictionResponse(int Digit, float[] Probabilities, int[] Counts, long Version);

/// <summary>The outcome of a correction.</summary>
/// <param name="Version">The version the correction published.</param>
/// <param name="Loss">The training loss of the last step.</param>
/// <param name="Prediction">The corrected drawing, predicted with the new parameters.</param>
public sealed record CorrectionResponse(long Version, float Loss, PredictionResponse Prediction);

/// <summary>A saved checkpoint.</summary>
/// <param name="Path">The file written.</param>
/// <param name="Version">The version saved.</param>
public sealed record SaveResponse(string Path, long Version);

/// <summary>What the model is now.</summary>
/// <param name="Version">The published version.</param>
/// <param name="Checkpoint">The checkpoint it was loaded from.</param>
/// <param name="SavePath">Where <c>/save</c> writes.</param>
/// <param name="Predictors">The compiled predict programs made so far (at most the pool's size).</param>
public sealed record ModelInfo(long Version, string Checkpoint, string SavePath, int Predictors);

/// <summary>A request the app refused, and why.</summary>
/// <param name="Error">The message.</param>
public sealed record ErrorResponse(string Error);

/// <summary>
/// Source-generated JSON for every type on the wire: NativeAOT has no reflection-based serializer.
/// Named floating-point literals are read ("NaN") so that they reach validation and get a 400
/// naming the pixel, rather than a parse error.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DrawingRequest))]
[JsonSerializable(typeof(PredictionResponse))]
[JsonSerializable(typeof(CorrectionResponse))]
[JsonSerializable(typeof(SaveResponse))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class DigitsJson : JsonSerializerContext
{
}
