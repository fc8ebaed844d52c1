// The optimizer's kernels (OpenClKernels.SgdUpdate/AdamUpdate/ClipFactor, which DeviceOptimizer runs):
// the global-norm clip factor and the fused SGD and Adam updates, statement for statement the CPU's (Sgd.State,
// AdamState), with every multiply-add an explicit fma and contraction off, so that the device
// rounds as the CPU does. Built as a program of its own: the pragma would reach every kernel after it.

// Contraction would fuse a*b + c where the CPU rounds twice; every fma below is written out.
#pragma OPENCL FP_CONTRACT OFF

// The flags' bits, as SgdUpdateFlags and AdamUpdateFlags declare them in C#.
#define SGD_DECAY 1
#define SGD_MOMENTUM 2
#define SGD_NESTEROV 4
#define SGD_FIRST_STEP 8
#define ADAM_L2_DECAY 1
#define ADAM_DECOUPLED_DECAY 2

// torch.optim.SGD on element i:
//   g = grad*scale + weightDecay*p
//   b = g (first step) or momentum*b + keep*g, keep = 1 - dampening
//   g = nesterov ? g + momentum*b : b
//   p = p - lr*g
// b is not read or written without momentum (the host passes the parameters in its place).
void sgd_element(__global float* p, __global const float* g, __global float* b, const int i,
                 float scale, float minusLearningRate, float weightDecay, float momentum,
                 float keep, int flags)
{
    float param = p[i];
    float grad = g[i] * scale;
    if (flags & SGD_DECAY)
        grad = fma(weightDecay, param, grad);
    if (flags & SGD_MOMENTUM)
    {
        // torch initialises the buffer to the first gradient, undampened.
        float buffer = (flags & SGD_FIRST_STEP) ? grad : fma(momentum, b[i], keep * grad);
        b[i] = buffer;
        grad = (flags & SGD_NESTEROV) ? fma(momentum, buffer, grad) : buffer;
    }

    p[i] = fma(minusLearningRate, grad, param);
}

// torch.optim.Adam (ADAM_L2_DECAY: decay added to the gradient) and AdamW
// (ADAM_DECOUPLED_DECAY) on element i:
//   p = p*(1 - lr*wd)                                  (AdamW)
//   g = grad*scale + wd*p                              (Adam)
//   m = m + (1 - b1)(g - m)
//   v = b2*v + (1 - b2)*g*g
//   p = p - lr/(1 - b1^t) * m / (sqrt(v)/sqrt(1 - b2^t) + eps)
// The step scalars come from the host, computed in double as torch does.
void adam_element(__global float* p, __global const float* g, __global float* m, __global float* v, const int i,
                  float scale, float weightDecay, float decayFactor,
                  float oneMinusBeta1, float beta2, float oneMinusBeta2,
                  float minusStepSize, float inverseBias2Sqrt, float epsilon, int flags)
{
    float param = p[i];
    float grad = g[i] * scale;
    if (flags & ADAM_DECOUPLED_DECAY)
        param *= decayFactor;
    if (flags & ADAM_L2_DECAY)
        grad = fma(weightDecay, param, grad);

    float mean = m[i];
    mean = fma(oneMinusBeta1, grad - mean, mean);
    float variance = fma(beta2, v[i], oneMinusBeta2 * grad * grad);
    m[i] = mean;
    v[i] = variance;

    // Division rather than a reciprocal multiply, to round as torch does.
    float denominator = fma(sqrt(variance), inverseBias2Sqrt, epsilon);
    p[i] = fma(minusStepSize, mean / denominator, param);
}

// OpenClKernels.SgdUpdate (what DeviceOptimizer runs): the update of slices (sizes first, then each slice and its offset).
// The gradient's factor is read from the device (clip_factor's), so the host never waits for it.
__kernel void sgd_update_slices(const int count, __global const float* scale, const int so,
                                float minusLearningRate, float weightDecay, float momentum, float keep, int flags,
                                __global float* p, const int po, __global const float* g, const int go,
                                __global float* b, const int bo)
{
    int i = get_global_id(0);
    if (i < count)
        sgd_element(p + po, g + go, b + bo, i, scale[so], minusLearningRate, weightDecay, momentum, keep, flags);
}

// OpenClKernels.AdamUpdate: the same update of slices.
__kernel void adam_update_slices(const int count, __global const float* scale, const int so, float weightDecay, float decayFactor,
                                 float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                 float minusStepSize, float inverseBias2Sqrt, float epsilon, int flags,
                                 __global float* p, const int po, __global const float* g, const int go,
                                 __global float* m, const int mo, __global float* v, const int vo)
{
    int i = get_global_id(0);
    if (i < count)
        adam_element(p + po, g + go, m + mo, v + vo, i, scale[so], weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2,
                     minusStepSize, inverseBias2Sqrt, epsilon, flags);
}

// OpenClKernels.ClipFactor: torch.nn.utils.clip_grad_norm_'s factor from the gradient's sum of squares,
// as OptimizerState.ClipFactor computes it on the host: norm = sqrt(sum) rounded to float (the build's
// -cl-fp32-correctly-rounded-divide-sqrt makes sqrt and the division IEEE's), then max / (norm + 1e-6)
// where that is below 1, else 1 (an infinite norm gives 0; a NaN norm a NaN coefficient, not below 1). One work-item.
__kernel void clip_factor(__global const float* sumOfSquares, const int so, const float maxNorm,
                          __global float* factor, const int fo)
{
    if (get_global_id(0) != 0) return;
    const float norm = sqrt(sumOfSquares[so]);
    const float coefficient = maxNorm / (norm + 1e-6f);
    factor[fo] = coefficient < 1.0f ? coefficient : 1.0f;
}
