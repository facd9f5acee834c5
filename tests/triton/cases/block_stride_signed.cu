// `int i; i += blockDim.x` computes in unsigned; the sum goes back to int so that a later
// `i % g` does not mix signedness (Triton refuses / and % between int32 and uint32).
__global__ void gather_rows(const float *x, float *y, int g, int c)
{
    for (int i = threadIdx.x; i < c; i += blockDim.x) {
        int q = i % g;
        int r = i / g;
        y[blockIdx.x * c + i] = x[blockIdx.x * c + q * (c / g) + r];
    }
}
/* TRITON
@triton.jit(do_not_specialize=['g', 'c'])
def gather_rows_kernel(x, y, g, c, BLOCK_X: tl.constexpr, BLOCK_Y: tl.constexpr, BLOCK_Z: tl.constexpr, BLOCK: tl.constexpr):
    tid = tl.arange(0, BLOCK)
    tx = tid % BLOCK_X
    active = tid < BLOCK_X * BLOCK_Y * BLOCK_Z  # lanes past the block are padding
    i = tx
    loop1 = active & (i < c)
    while _any(loop1):
        q = i % g
        r = i // g
        tl.store(y + (tl.program_id(0) * c.to(tl.uint32) + i.to(tl.uint32)), tl.load(x + (tl.program_id(0) * c.to(tl.uint32) + (q * (c // g)).to(tl.uint32) + r.to(tl.uint32)), mask=loop1), mask=loop1)
        i = tl.where(loop1, (i.to(tl.uint32) + BLOCK_X).to(tl.int32), i)
        loop1 = loop1 & (i < c)
*/
