// Width-generic warp code with 32-bit masks and lane math: every rewrite is safe here, because
// the reduction already runs over warpSize lanes. The mask macro is only ever used as a mask.
// EXPECT: CH004 CH005
#include <cuda_runtime.h>
#define FULL_MASK 0xffffffff

__device__ float warp_sum(float v)
{
    for (int offset = warpSize / 2; offset > 0; offset /= 2)
        v += __shfl_down_sync(FULL_MASK, v, offset);
    return v;
}

__global__ void per_warp_sum(const float *x, float *sums, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? x[i] : 0.0f;
    v = warp_sum(v);
    __syncwarp(0xffffffff);
    if ((threadIdx.x & 31) == 0)
        sums[i >> 5] = v;
}
