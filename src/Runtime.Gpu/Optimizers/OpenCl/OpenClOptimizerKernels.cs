namespace Dsl;

/// <summary>
/// The OpenCL C 1.2 kernels of <see cref="OpenClOptimizer"/>: the first stage of the gradient's
/// global norm and the fused SGD and Adam updates, statement for statement the CPU's
/// (<c>Sgd.State</c>, <c>AdamState</c>), with every multiply-add an explicit <c>fma</c> and
/// contraction off, so that the device rounds as the CPU does.
/// </summary>
internal static class OpenClOptimizerKernels
{
    /// <summary>The program's name in error messages.</summary>
    public const string ProgramName = "Dsl.OpenClOptimizer";

    /// <summary>Elements each work-item of <c>sum_of_squares</c> adds up.</summary>
    public const int ItemsPerWorkItem = 16;

    // Flags of sgd_update.
    public const int SgdDecay = 1, SgdMomentum = 2, SgdNesterov = 4, SgdFirstStep = 8;

    // Flags of adam_update.
    public const int AdamL2Decay = 1, AdamDecoupledDecay = 2;

    public const string Source = """
        // Contraction would fuse a*b + c where the CPU rounds twice; every fma below is written out.
        #pragma OPENCL FP_CONTRACT OFF

        // The flags' bits, as OpenClOptimizerKernels declares them in C#.
        #define SGD_DECAY 1
        #define SGD_MOMENTUM 2
        #define SGD_NESTEROV 4
        #define SGD_FIRST_STEP 8
        #define ADAM_L2_DECAY 1
        #define ADAM_DECOUPLED_DECAY 2

        // Stage one of the global L2 norm. Work-group w sums the squares of elements
        // [w*L*K, (w+1)*L*K) (L = work-group size, a power of two; K = items per work-item):
        // work-item i adds elements w*L*K + k*L + i for k < K (adjacent items read adjacent
        // floats), then the group adds its L sums in a fixed tree and writes partials[w]. The host
        // adds the partials in order, in double. Nothing depends on timing: the result is the same
        // every run.
        __kernel void sum_of_squares(__global const float* g, int count, int itemsPerWorkItem,
                                     __global float* partials, __local float* scratch)
        {
            int lid = get_local_id(0);
            int size = get_local_size(0);
            int start = get_group_id(0) * size * itemsPerWorkItem + lid;
            float sum = 0.0f;
            for (int k = 0; k < itemsPerWorkItem; k++)
            {
                int i = start + k * size;
                if (i < count)
                    sum = fma(g[i], g[i], sum);
            }

            scratch[lid] = sum;
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int width = size / 2; width > 0; width /= 2)
            {
                if (lid < width)
                    scratch[lid] += scratch[lid + width];
                barrier(CLK_LOCAL_MEM_FENCE);
            }

            if (lid == 0)
                partials[get_group_id(0)] = scratch[0];
        }

        // torch.optim.SGD, one element per work-item:
        //   g = grad*scale + weightDecay*p
        //   b = g (first step) or momentum*b + keep*g, keep = 1 - dampening
        //   g = nesterov ? g + momentum*b : b
        //   p = p - lr*g
        // b is not read or written without momentum (the host passes any buffer).
        __kernel void sgd_update(__global float* p, __global const float* g, __global float* b, int count,
                                 float scale, float minusLearningRate, float weightDecay, float momentum,
                                 float keep, int flags)
        {
            int i = get_global_id(0);
            if (i >= count)
                return;

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
        // (ADAM_DECOUPLED_DECAY), one element per work-item:
        //   p = p*(1 - lr*wd)                                  (AdamW)
        //   g = grad*scale + wd*p                              (Adam)
        //   m = m + (1 - b1)(g - m)
        //   v = b2*v + (1 - b2)*g*g
        //   p = p - lr/(1 - b1^t) * m / (sqrt(v)/sqrt(1 - b2^t) + eps)
        // The step scalars come from the host, computed in double as torch does.
        __kernel void adam_update(__global float* p, __global const float* g, __global float* m, __global float* v,
                                  int count, float scale, float weightDecay, float decayFactor,
                                  float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                  float minusStepSize, float inverseBias2Sqrt, float epsilon, int flags)
        {
            int i = get_global_id(0);
            if (i >= count)
                return;

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
        """;
}
