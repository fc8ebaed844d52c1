namespace Dsl.Kernels.Ilgpu;

/// <summary>Float arithmetic the ILGPU kernels need rounded exactly as the CPU's.</summary>
internal static class ExactMath
{
    /// <summary>
    /// a·b + c rounded once, as <c>MathF.FusedMultiplyAdd</c> (which ILGPU does not compile): the
    /// product of two floats is exact in double, the double sum's rounding error is recovered
    /// exactly (TwoSum), and where the double sum lies exactly halfway between two floats the error
    /// decides the direction, so the result is the correctly rounded float, not a double rounding.
    /// </summary>
    public static float Fma(float a, float b, float c)
    {
        double product = (double)a * b;
        double sum = product + c;
        // TwoSum: product + c == sum + error exactly.
        double virtualC = sum - product;
        double error = (product - (sum - virtualC)) + (c - virtualC);
        float rounded = (float)sum;
        double below = sum - rounded;
        if (error != 0 && below != 0)
        {
            double twice = rounded + (2 * below);
            // sum is a midpoint exactly when the float past it, rounded + 2·below, is a float: then
            // the true value lies on error's side of it.
            if ((double)(float)twice == twice && (error > 0) == (below > 0))
                rounded = (float)twice;
        }

        return rounded;
    }
}
