// half2 values held in float2 on OpenCL without cl_khr_fp16: __float2half2_rn is a splat rounded
// by vstore_half2_rte, __hgt2/__hne2 select 1.0 or 0.0 per lane, __hne is the ordered comparison;
// `__half2*` pointers count in pairs (p + i, &p[i], p += 1), the `half*` they become in halves.
#include <cuda_fp16.h>

__global__ void half2_pairs(const __half *a, const __half *b, __half *out, int *flags, int n2)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n2) {
        const __half2 *pa = reinterpret_cast<const __half2 *>(a) + i;
        const __half2 *pb = &reinterpret_cast<const __half2 *>(b)[i];
        __half2 *po = reinterpret_cast<__half2 *>(out);
        po += i;
        const __half2 third = __float2half2_rn(0.333f);
        __half2 x = *pa;
        __half2 y = pb[0];
        __half2 gt = __hgt2(x, y);
        *po = __hadd2(__hmul2(gt, x), __hmul2(__hne2(x, third), third));
        flags[i] = (__hne(__low2half(x), __high2half(y)) ? 1 : 0) + (__hle(__low2half(x), __low2half(y)) ? 2 : 0)
                   + (int)(pa - reinterpret_cast<const __half2 *>(a));
    }
}
