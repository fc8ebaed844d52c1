namespace Dsl.Kernels.Ilgpu;

/// <summary>
/// Dropout's Philox4x32-10 draw (<c>philox.cl</c>, <c>Dsl.Kernels.DropoutKernels.Keeps</c>) in
/// integer arithmetic ILGPU compiles: the same words as the CPU's, so the masks are its bit for bit.
/// </summary>
internal static class IlgpuPhilox
{
    /// <summary>
    /// The 32 random bits of stream position (<paramref name="indexHigh"/>, <paramref name="indexLow"/>)
    /// of (seed, site, step): lane index mod 4 of the Philox block of counter (index / 4, site, step).
    /// </summary>
    public static uint Draw(uint indexLow, uint indexHigh, uint site, uint step, uint key0, uint key1)
    {
        uint c0 = (indexLow >> 2) | (indexHigh << 30), c1 = indexHigh >> 2, c2 = site, c3 = step;
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                key0 += 0x9E3779B9u;
                key1 += 0xBB67AE85u;
            }

            ulong product0 = 0xD2511F53ul * c0, product1 = 0xCD9E8D57ul * c2;
            uint next0 = (uint)(product1 >> 32) ^ c1 ^ key0, next2 = (uint)(product0 >> 32) ^ c3 ^ key1;
            c1 = (uint)product1;
            c3 = (uint)product0;
            c0 = next0;
            c2 = next2;
        }

        uint lane = indexLow & 3u;
        return lane == 0u ? c0 : lane == 1u ? c1 : lane == 2u ? c2 : c3;
    }
}
