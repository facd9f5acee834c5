// Not elementwise: the body reads threadIdx.x again, so the rule declines and the general
// lowering (one program per CUDA block) runs.
__global__ void lane_tag(int *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = i * 2 + threadIdx.x;
}
/* TRITON
@triton.jit(do_not_specialize=['n'])
def lane_tag_kernel(out, n, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    i = tl.program_id(0) * BLOCK_X + tx
    m1 = active & (i < n)
    tl.store(out + i, ((i * 2).to(tl.uint32) + tx).to(tl.int32), mask=m1)
*/
