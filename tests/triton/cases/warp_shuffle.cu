// Warp shuffles become gathers within the block vector; 2-D blocks are flattened.
__global__ void warp_sums(const float *x, float *out)
{
    int t = threadIdx.y * blockDim.x + threadIdx.x;
    float v = x[blockIdx.x * blockDim.x * blockDim.y + t];
    for (int d = 16; d > 0; d /= 2)
        v += __shfl_down_sync(0xffffffff, v, d);
    if ((t & 31) == 0)
        out[(blockIdx.x * blockDim.x * blockDim.y + t) / 32] = v;
}
/* TRITON
@triton.jit
def warp_sums_kernel(x, out, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    ty = tid // BLOCK_X % BLOCK_Y
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    t = ty * BLOCK_X + tx
    v = tl.load(x + (tl.program_id(0) * BLOCK_X * BLOCK_Y + t.to(tl.uint32)), mask=active)
    # warp reduction (shuffle ladder over 32 lanes) as one tl.sum per segment
    v = _segment_sum(v, 32, BLOCK)
    m1 = active & (t & 31 == 0)
    tl.store(out + (tl.program_id(0) * BLOCK_X * BLOCK_Y + t.to(tl.uint32)) // 32, v, mask=m1)
*/
