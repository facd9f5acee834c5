// An unsigned (size_t) element index keeps its type in the elementwise form (Triton refuses % and
// / across signedness), and a libdevice call on block-uniform arguments gets a typed identity
// added (scalar parameters are plain Python numbers under the interpreter).
__global__ void decay(size_t n, int per, float rate, const float *x, float *y)
{
    size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int j = i % per;
        y[i] = x[j] * expm1f(-rate);
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'per', 'rate', 'limit'])
def decay_kernel(n, per, rate, x, y, limit, ELEMS: tl.constexpr):
    n = n.to(tl.uint64)
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = (tl.program_id(0).to(tl.int64) * ELEMS + tl.arange(0, ELEMS)).to(tl.uint64)
    active = i < limit
    j = (i % per.to(tl.uint64)).to(tl.int32)
    tl.store(y + i, tl.load(x + j, mask=active) * libdevice.expm1(-rate + tl.full([], -0.0, tl.float32)), mask=active)
*/
