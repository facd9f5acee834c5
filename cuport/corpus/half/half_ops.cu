// Half-precision storage with float arithmetic, as most fp16 kernels are written.
// haxpy: y = a * x + y on __half arrays, computed in float, rounded once on store.
// half2_mul_add: on __half2 pairs, (x.lo * y.lo, x.hi + y.hi), converted through float2.
// Exercises: cuda_fp16.h, __half2float/__float2half, __half2 with __half22float2 and
// __floats2half2_rn (round to nearest even), fp16 tolerances.
#include <cuda_fp16.h>

__global__ void haxpy(int n, float a, const __half *x, __half *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = __float2half(a * __half2float(x[i]) + __half2float(y[i]));
}

__global__ void half2_mul_add(const __half2 *x, const __half2 *y, __half2 *out, int n2)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n2) {
        float2 fx = __half22float2(x[i]);
        float2 fy = __half22float2(y[i]);
        out[i] = __floats2half2_rn(fx.x * fy.x, fx.y + fy.y);
    }
}
