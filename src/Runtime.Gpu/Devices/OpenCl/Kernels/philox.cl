// Philox4x32-10 block (Random123's philox4x32_R with R = 10) of counter c under key (k0, k1).
uint4 philox4x32_10(uint4 c, uint k0, uint k1)
{
    for (int round = 0; round < 10; round++)
    {
        if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
        const uint lo0 = 0xD2511F53u * c.x, hi0 = mul_hi(0xD2511F53u, c.x);
        const uint lo1 = 0xCD9E8D57u * c.z, hi1 = mul_hi(0xCD9E8D57u, c.z);
        c = (uint4)(hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0);
    }
    return c;
}

// x * scale when stream position (index_hi, index_lo) of (seed, site, step) is kept, else 0:
// kept when the draw's top 24 bits >= threshold. Fused kernels call it per element.
float dsl_dropout(const float x, const uint index_lo, const uint index_hi, const uint site, const uint step,
                  const uint seed_lo, const uint seed_hi, const uint threshold, const float scale)
{
    const uint4 counter = (uint4)((index_lo >> 2) | (index_hi << 30), index_hi >> 2, site, step);
    const uint4 r = philox4x32_10(counter, seed_lo, seed_hi);
    const uint lane = index_lo & 3u;
    const uint bits = lane == 0u ? r.x : lane == 1u ? r.y : lane == 2u ? r.z : r.w;
    return (bits >> 8) >= threshold ? x * scale : 0.0f;
}
