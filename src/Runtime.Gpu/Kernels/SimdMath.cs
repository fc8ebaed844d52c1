namespace Dsl.Kernels;

/// <summary>
/// Transcendental functions for generated element-wise loops: <c>Exp</c> (CoreLib's bits, inlinable; SimdMath.Exp.cs), <c>Tanh</c>, <c>Sigmoid</c>,
/// exact <c>Gelu</c> (x·Φ(x), PyTorch's default, not the tanh approximation), its derivative and
/// <c>Erf</c>, for <see cref="System.Runtime.Intrinsics.Vector512{T}"/>,
/// <see cref="System.Runtime.Intrinsics.Vector256{T}"/>, <see cref="float"/> (the scalar tail of
/// a vector loop) and <see cref="double"/> (the eager reference).
/// </summary>
/// <remarks>
/// <para>
/// The float versions are branch-free: every piece of a piecewise approximation is computed and
/// the lanes select theirs, so one code path serves vectors and scalars alike. Accuracy (checked
/// by the tests against double references over dense grids): a few ulp relative for Tanh and
/// Sigmoid, at most 2e-7 absolute for Erf, Gelu and its derivative. NaN propagates; infinities
/// give the limits (Tanh(±∞) = ±1, Gelu(-∞) = -0, Erf(±∞) = ±1).
/// </para>
/// <para>
/// The polynomial coefficients are near-minimax fits computed offline with mpmath at 40 digits
/// (Lawson-weighted least squares on Chebyshev nodes); <see cref="Coefficients"/> lists them with
/// their intervals and errors. The double versions are accurate to about 1e-15 relative.
/// </para>
/// </remarks>
public static partial class SimdMath
{
    /// <summary>Constants shared by the float implementations (vector and scalar).</summary>
    internal static class Coefficients
    {
        /// <summary>Below this |x|, tanh uses the odd polynomial; above, 1 - 2/(e^(2|x|) + 1), which has no cancellation there.</summary>
        public const float TanhPolynomialLimit = 0.625f;

        // tanh(x) = x + x^3 * P(x^2) on |x| <= 0.625; |P error| <= 4.1e-8, so relative error < 2e-8 before rounding.
        public const float Tanh0 = -0.33333329249280939176f;
        public const float Tanh1 = 0.1333279452404179762f;
        public const float Tanh2 = -0.053854066722877332187f;
        public const float Tanh3 = 0.021010068800366315225f;
        public const float Tanh4 = -0.0061131752344001900607f;

        // erf(z) = z * P(z^2) on |z| <= 1; |P error| <= 1.2e-9.
        public const float Erf0 = 1.1283791659137009114f;
        public const float Erf1 = -0.37612627135599802475f;
        public const float Erf2 = 0.11283600171959666919f;
        public const float Erf3 = -0.026854444407652595775f;
        public const float Erf4 = 0.0051895349826575891416f;
        public const float Erf5 = -0.00080208380997594794116f;
        public const float Erf6 = 0.000078891089058758649048f;

        // erfc(z) = exp(-z^2) * t * Q(t), t = 2/(2 + z), for z >= 1 up to infinity (t in [0, 2/3]);
        // relative error <= 3.8e-8 (the form of Numerical Recipes' erfcc, refitted).
        public const float Erfc0 = 0.2820947812468286803f;
        public const float Erfc1 = 0.28209744303832955303f;
        public const float Erfc2 = 0.246724922376890946f;
        public const float Erfc3 = 0.17796634012309795769f;
        public const float Erfc4 = 0.0714214293591145821f;
        public const float Erfc5 = 0.044284979538825977832f;
        public const float Erfc6 = -0.15715580815612338853f;
        public const float Erfc7 = 0.0305461741964055664f;
        public const float Erfc8 = 0.023035262383247554095f;

        public const float InverseSqrt2 = 0.70710678118654752440f;
        public const float InverseSqrt2Pi = 0.39894228040143267794f;
        public const uint SignBit = 0x8000_0000;
    }
}
