// threadIdx.x is unsigned in CUDA but an int32 lane index in the port: before / and % (which
// Triton refuses across signedness) it is converted to the operation's type, as C's usual
// arithmetic conversions say (here unsigned, since n converts to unsigned int).
__global__ void lane_mod(int *out, unsigned int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = threadIdx.x % n + threadIdx.x / n;
}
/* TRITON
@triton.jit(do_not_specialize=['n'])
def lane_mod_kernel(out, n, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    n = n.to(tl.uint32)
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    i = tl.program_id(0) * BLOCK_X + tx
    tl.store(out + i, (tx.to(tl.uint32) % n + tx.to(tl.uint32) // n).to(tl.int32), mask=active)
*/
