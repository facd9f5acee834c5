// A pointer declared without a value and set in both branches of a divergent `if`: it starts as
// a typed copy of a parameter (an uninitialised pointer's value is indeterminate in C++) so the
// branch assignments can merge into it.
__global__ void pick(const float *a, const float *b, float *out, int split, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float *src;
    if (i < split)
        src = a + i;
    else
        src = b + (i - split);
    out[i] = *src;
}
/* TRITON
@triton.jit(do_not_specialize=['split', 'n', 'limit'])
def pick_kernel(a, b, out, split, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    src = a.to(tl.pointer_type(tl.float32)) + tl.zeros([ELEMS], tl.int32)
    m1 = active & (i < split)
    m2 = active & ~(i < split)
    src = tl.where(m1, a + i, src)
    src = tl.where(m2, b + (i - split), src)
    tl.store(out + i, tl.load(src, mask=active), mask=active)
*/
