// triton.idiom.elementwise: a grid-stride loop (stride declared first, 64-bit index) -> one
// program per ELEMS elements of the whole range; the launcher computes the grid from n.
__global__ void clamp_copy(const float *src, float *dst, long long n, float lo, float hi)
{
    long long stride = (long long)blockDim.x * gridDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        float v = src[i];
        v = v < lo ? lo : v;
        dst[i] = fminf(v, hi);
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'lo', 'hi', 'limit'])
def clamp_copy_kernel(src, dst, n, lo, hi, limit, ELEMS: tl.constexpr):
    n = n.to(tl.int64)
    # elementwise (grid-stride loop): each program covers ELEMS consecutive elements
    i = tl.program_id(0).to(tl.int64) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    v = tl.load(src + i, mask=active)
    v = tl.where(v < lo, lo, v)
    tl.store(dst + i, tl.minimum(v, hi), mask=active)
*/
