// triton.idiom.rows: layer norm, one warp per row of a 1-D block, the butterflies unrolled.
// Two sums (mean, then variance about the mean), a per-row mean written by lane 0 when asked
// for, and a normalise pass with a weight and a bias per column: one program per warp, the
// row in tiles of TILE columns, tl.sum for each butterfly.
__global__ void layernorm_warp(const float *x, const float *w, const float *b, float *y, float *mean, int rows, int n)
{
    int row = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    int lane = threadIdx.x % 32;
    if (row >= rows)
        return;
    const float *xr = x + row * n;
    float s = 0.0f;
    for (int c = lane; c < n; c += 32)
        s += xr[c];
    s += __shfl_xor_sync(0xffffffff, s, 16);
    s += __shfl_xor_sync(0xffffffff, s, 8);
    s += __shfl_xor_sync(0xffffffff, s, 4);
    s += __shfl_xor_sync(0xffffffff, s, 2);
    s += __shfl_xor_sync(0xffffffff, s, 1);
    float mu = s / n;
    if (lane == 0 && mean != nullptr)
        mean[row] = mu;
    float v = 0.0f;
    for (int c = lane; c < n; c += 32) {
        float d = xr[c] - mu;
        v += d * d;
    }
    for (int o = 16; o > 0; o /= 2)
        v += __shfl_xor_sync(0xffffffff, v, o);
    float rstd = rsqrtf(v / n + 1e-5f);
    for (int c = lane; c < n; c += 32)
        y[row * n + c] = (xr[c] - mu) * rstd * w[c] + b[c];
}
/* TRITON
@triton.jit(do_not_specialize=['rows', 'n'])
def layernorm_warp_kernel(x, w, b, y, mean, rows, n, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, TILE: tl.constexpr, WARPS: tl.constexpr):
    bid = tl.program_id(0) // WARPS  # blockIdx.x: programs are the warps of the CUDA blocks
    wid = tl.program_id(0) % WARPS  # the warp within its block
    if (bid * WARPS + wid) < rows:
        xr = x + (bid * WARPS + wid) * n
        s = tl.full([], 0.0, tl.float32)
        s = tl.zeros([TILE], tl.float32)
        for col1 in range(0, n, TILE):
            c = col1 + tl.arange(0, TILE)
            m2 = c < n
            s = tl.where(m2, s + tl.load(xr + c, mask=m2), s)
        # shuffle butterfly over the group: one tl.sum of the per-lane partials
        s = tl.sum(s, 0)
        mu = s / n.to(tl.float32)
        if mean.to(tl.int64) != 0:
            tl.store(mean + (bid * WARPS + wid), mu)
        v = tl.full([], 0.0, tl.float32)
        v = tl.zeros([TILE], tl.float32)
        for col3 in range(0, n, TILE):
            c = col3 + tl.arange(0, TILE)
            m4 = c < n
            d = tl.load(xr + c, mask=m4) - mu
            v = tl.where(m4, v + d * d, v)
        # shuffle butterfly over the group: one tl.sum of the per-lane partials
        v = tl.sum(v, 0)
        rstd = tl.rsqrt(v / n.to(tl.float32) + 1e-05)
        for col5 in range(0, n, TILE):
            c = col5 + tl.arange(0, TILE)
            m6 = c < n
            tl.store(y + ((bid * WARPS + wid) * n + c), (tl.load(xr + c, mask=m6) - mu) * rstd * tl.load(w + c, mask=m6) + tl.load(b + c, mask=m6), mask=m6)
*/
