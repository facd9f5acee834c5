// Elementwise with a bounds guard: the guard becomes the store mask.
__global__ void scale(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i];
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'a'])
def scale_kernel(n, a, x, y, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    i = tl.program_id(0) * BLOCK_X + tx
    m1 = active & (i < n)
    tl.store(y + i, a * tl.load(x + i, mask=m1), mask=m1)
*/
