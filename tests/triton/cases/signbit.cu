// signbit has no Triton function: the port tests the sign bit of the same-width integer (true
// for -0.0 and negative NaNs, as CUDA's is).
__global__ void signs(const float *x, const double *y, int *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = signbit(x[i]) + 2 * signbit(y[i]);
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'limit'])
def signs_kernel(x, y, out, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    tl.store(out + i, (tl.load(x + i, mask=active).to(tl.int32, bitcast=True) < 0).to(tl.int32) + 2 * (tl.load(y + i, mask=active).to(tl.int64, bitcast=True) < 0).to(tl.int32), mask=active)
*/
