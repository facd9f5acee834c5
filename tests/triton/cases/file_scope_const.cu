// File-scope `const` scalars are folded into the kernel (the runner uploads only __constant__ and
// __device__ symbols); double constants passed to math functions stay fp64 (tl.full, not tl.cast,
// which would round through fp32), and sqrt of a double uses tl.sqrt (sqrt_rn takes fp32 only).
const double scale = 0.3;
const double expo = 1.7;
const float offset = 2.5f;

__global__ void shape(const double *x, double *y, float *z, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = scale * pow(x[i], expo) + sqrt(x[i]);
        z[i] = (float)x[i] + offset;
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'limit'])
def shape_kernel(x, y, z, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    tl.store(y + i, 0.3 * libdevice.pow(tl.load(x + i, mask=active), tl.full([], 1.7, tl.float64)) + tl.sqrt(tl.load(x + i, mask=active)), mask=active)
    tl.store(z + i, tl.load(x + i, mask=active).to(tl.float32) + 2.5, mask=active)
*/
