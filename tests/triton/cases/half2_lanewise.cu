// half2 math is scalarised: __hadd2 is the scalar half add on each lane, __hgt2 1.0 or 0.0 per
// lane, __float2half2_rn one rounded value in both lanes, __lowhigh2highlow a swap of lanes;
// __uint_as_float a bit cast.
#include <cuda_fp16.h>
__global__ void half2_math(const __half2 *a, __half2 *out, float *f, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __half2 v = __hadd2(a[i], __float2half2_rn(1.5f));
        out[i] = __lowhigh2highlow(__hmul2(__hgt2(v, a[i]), v));
        f[i] = __uint_as_float(__float_as_uint(__low2float(v)) & 0x7fffffffu);
    }
}
/* TRITON
@triton.jit(do_not_specialize=['n', 'limit'])
def half2_math_kernel(a, out, f, n, limit, ELEMS: tl.constexpr):
    # elementwise (one thread per element): each program covers ELEMS consecutive elements
    i = tl.program_id(0) * ELEMS + tl.arange(0, ELEMS)
    active = i < limit
    v_x = tl.load(a + i * 2, mask=active) + tl.cast(1.5, tl.float16)
    v_y = tl.load(a + i * 2 + 1, mask=active) + tl.cast(1.5, tl.float16)
    tl.store(out + i * 2, tl.where(v_y > tl.load(a + i * 2 + 1, mask=active), 1.0, 0.0).to(tl.float16) * v_y, mask=active)
    tl.store(out + i * 2 + 1, tl.where(v_x > tl.load(a + i * 2, mask=active), 1.0, 0.0).to(tl.float16) * v_x, mask=active)
    tl.store(f + i, (v_x.to(tl.float32).to(tl.uint32, bitcast=True) & 2147483647).to(tl.float32, bitcast=True), mask=active)
*/
