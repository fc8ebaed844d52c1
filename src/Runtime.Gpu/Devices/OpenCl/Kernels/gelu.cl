// gelu(x) = x * Phi(x), Phi(x) = erfc(-x / sqrt(2)) / 2: exact GELU, as Dsl.Kernels.SimdMath.Gelu.
float dsl_gelu(const float x)
{
    return 0.5f * x * erfc(-x * 0.70710678118654752f);
}

// gelu'(x) = Phi(x) + x * phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
float dsl_gelu_derivative(const float x)
{
    return 0.5f * erfc(-x * 0.70710678118654752f) + x * exp(-0.5f * x * x) * 0.39894228040143268f;
}

// Phi(x) = erfc(-x / sqrt(2)) / 2: GELU's factor, which a training step keeps from the forward pass.
float dsl_normal_cdf(const float x)
{
    return 0.5f * erfc(-x * 0.70710678118654752f);
}
