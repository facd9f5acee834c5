// __stcs is a plain store (cache hints mean nothing here); `p != nullptr` compares the address as
// an integer, since Triton has no null pointer constant.
__global__ void hinted(const float *x, float *y, float *extra, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __stcs(y + i, 2.0f * x[i]);
        if (extra != nullptr)
            extra[i] = x[i];
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'limit'])
def hinted_kernel(x, y, extra, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    tl.store(y + i, 2.0 * tl.load(x + i, mask=active), mask=active)
    if extra.to(tl.int64) != 0:
        tl.store(extra + i, tl.load(x + i, mask=active), mask=active)
*/
