// Arithmetic on halves needs cl_khr_fp16, which PoCL's CPU device lacks: refused (CO001).
#include <cuda_fp16.h>

__global__ void hadd_kernel(const __half *x, __half *y, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = __hadd(x[i], y[i]);
}

/* EXPECT-NOT-PORTED CO001 */
