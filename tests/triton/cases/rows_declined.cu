// Not a row kernel for triton.idiom.rows: after the shared-memory max, each thread subtracts its
// OWN partial maximum (m, not red[0]), which depends on how CUDA spreads columns over threads.
// The rule declines; the general lowering runs (the tree still becomes one tl.max).
__global__ void row_max_minus_partial(const float *x, float *y, int cols)
{
    __shared__ float red[64];
    int t = threadIdx.x;
    const float *xr = x + blockIdx.x * cols;
    float m = -INFINITY;
    for (int c = t; c < cols; c += 64)
        m = fmaxf(m, xr[c]);
    red[t] = m;
    __syncthreads();
    for (int s = 32; s > 0; s >>= 1) {
        if (t < s)
            red[t] = fmaxf(red[t], red[t + s]);
        __syncthreads();
    }
    for (int c = t; c < cols; c += 64)
        y[blockIdx.x * cols + c] = red[0] - m;
}
/* TRITON
@triton.jit(do_not_specialize=['cols', 'scratch_stride'])
def row_max_minus_partial_kernel(x, y, cols, scratch, scratch_stride, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    program = tl.program_id(0) + tl.num_programs(0) * (tl.program_id(1) + tl.num_programs(1) * tl.program_id(2))
    smem = scratch + program.to(tl.int64) * scratch_stride  # this block's shared memory
    red = (smem + 0).to(tl.pointer_type(tl.float32))
    t = tx
    xr = x + tl.program_id(0) * cols.to(tl.uint32)
    m = tl.full([BLOCK], -float("inf"), tl.float32)
    c = t
    loop1 = active & (c < cols)
    while _any(loop1):
        m = tl.where(loop1, tl.maximum(m, tl.load(xr + c, mask=loop1)), m)
        c = tl.where(loop1, c + 64, c)
        loop1 = loop1 & (c < cols)
    tl.store(red + t, m, mask=active)
    tl.debug_barrier()
    # block reduction (shared-memory tree over 64 values) as one tl.max
    tl.debug_barrier()
    tl.store(red, tl.max(tl.load(red + tl.arange(0, 64)), 0))
    tl.debug_barrier()
    c = t
    loop2 = active & (c < cols)
    while _any(loop2):
        tl.store(y + (tl.program_id(0) * cols.to(tl.uint32) + c.to(tl.uint32)), tl.load(red + 0, mask=_any(loop2)) - m, mask=loop2)
        c = tl.where(loop2, c + 64, c)
        loop2 = loop2 & (c < cols)
*/
