// `lane condition && block-uniform condition`: the scalar side is combined with tl.where, since
// the interpreter turns `block_bool & scalar_bool` into int32 (not a valid mask).
__global__ void gated(const float *x, float *y, int n, int enable)
{
    __shared__ float tile[64];
    int t = threadIdx.x;
    tile[t] = x[blockIdx.x * 64 + t];
    __syncthreads();
    if (t < n && enable > 0)
        y[blockIdx.x * 64 + t] = tile[63 - t];
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'enable', 'scratch_stride'])
def gated_kernel(x, y, n, enable, scratch, scratch_stride, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    program = tl.program_id(0) + tl.num_programs(0) * (tl.program_id(1) + tl.num_programs(1) * tl.program_id(2))
    smem = scratch + program.to(tl.int64) * scratch_stride  # this block's shared memory
    tile = (smem + 0).to(tl.pointer_type(tl.float32))
    t = tx
    tl.store(tile + t, tl.load(x + (tl.program_id(0) * 64 + t.to(tl.uint32)), mask=active), mask=active)
    tl.debug_barrier()
    m1 = active & tl.where(enable > 0, t < n, False)
    tl.store(y + (tl.program_id(0) * 64 + t.to(tl.uint32)), tl.load(tile + (63 - t), mask=m1), mask=m1)
*/
