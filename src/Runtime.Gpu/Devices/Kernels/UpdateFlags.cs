using System;

namespace Dsl;

/// <summary>Which terms of torch.optim.SGD's update <see cref="DeviceKernels.SgdUpdate"/> applies (the bits the OpenCL kernel reads).</summary>
[Flags]
public enum SgdUpdateFlags
{
    /// <summary>Plain SGD: p −= lr·g.</summary>
    None = 0,

    /// <summary>Adds weightDecay·p to the gradient.</summary>
    Decay = 1,

    /// <summary>Keeps a momentum buffer.</summary>
    Momentum = 2,

    /// <summary>Nesterov momentum (with <see cref="Momentum"/>).</summary>
    Nesterov = 4,

    /// <summary>The first step: the buffer starts as the gradient, undampened, as torch does.</summary>
    FirstStep = 8,
}

/// <summary>Which weight decay <see cref="DeviceKernels.AdamUpdate"/> applies.</summary>
[Flags]
public enum AdamUpdateFlags
{
    /// <summary>No weight decay.</summary>
    None = 0,

    /// <summary>Adam's L2 decay: weightDecay·p added to the gradient.</summary>
    L2Decay = 1,

    /// <summary>AdamW's decoupled decay: p scaled by decayFactor before the step.</summary>
    DecoupledDecay = 2,
}
