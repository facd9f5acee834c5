// The double-buffered Hillis-Steele block scan over integers: triton.idiom.scan replaces the
// whole kernel by one inclusive tl.cumsum per CUDA block (exact: integer sums in any order).
// `in` is a Python keyword: the port names it in_v.
#define B 64
__global__ void hs(const int *in, int *res, int count)
{
    __shared__ int sh[2][B];
    int t = threadIdx.x;
    int g = blockIdx.x * B + t;
    int cur = 0;
    sh[cur][t] = g < count ? in[g] : 0;
    __syncthreads();
    for (int o = 1; o < B; o <<= 1) {
        int x = sh[cur][t];
        if (t >= o)
            x += sh[cur][t - o];
        sh[1 - cur][t] = x;
        cur = 1 - cur;
        __syncthreads();
    }
    if (g < count)
        res[g] = sh[cur][t];
}
/* TRITON
@triton.jit(do_not_specialize=['count'])
def hs_kernel(in_v, res, count, ELEMS: tl.constexpr):
    # block scan (Hillis-Steele ladder over ELEMS values in double-buffered shared memory) as one
    # tl.cumsum: this program scans the ELEMS elements of its CUDA block, inclusive
    idx = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    vals = tl.load(in_v + idx, mask=idx < count, other=0)
    tl.store(res + idx, tl.cumsum(vals, 0), mask=idx < count)
*/
