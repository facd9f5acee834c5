// triton.idiom.elementwise: one thread per element behind a bounds guard -> one program per
// ELEMS elements, the guard's bound (min(n, CUDA threads), from the launcher) as the mask.
__global__ void scale(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i];
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'a', 'limit'])
def scale_kernel(n, a, x, y, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    tl.store(y + i, a * tl.load(x + i, mask=active), mask=active)
*/
