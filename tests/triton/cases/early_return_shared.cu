// Early return as a mask; shared memory in the scratch buffer; a barrier.
__global__ void reverse_pairs(int n, const int *x, int *y)
{
    __shared__ int s[64];
    int t = threadIdx.x;
    int i = blockIdx.x * 64 + t;
    s[t] = i < n ? x[i] : 0;
    __syncthreads();
    if (i >= n)
        return;
    y[i] = s[t ^ 1];
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'scratch_stride'])
def reverse_pairs_kernel(n, x, y, scratch, scratch_stride, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    program = tl.program_id(0) + tl.num_programs(0) * (tl.program_id(1) + tl.num_programs(1) * tl.program_id(2))
    smem = scratch + program.to(tl.int64) * scratch_stride  # this block's shared memory
    s = (smem + 0).to(tl.pointer_type(tl.int32))
    t = tx
    i = (tl.program_id(0) * 64 + t.to(tl.uint32)).to(tl.int32)
    m1 = active & (i < n)
    tl.store(s + t, tl.where(i < n, tl.load(x + i, mask=m1), 0), mask=active)
    tl.debug_barrier()
    m2 = active & (i >= n)
    active = active & ~m2  # return
    m2 = m2 & active
    tl.store(y + i, tl.load(s + (t ^ 1), mask=active), mask=active)
*/
