// Host code: runtime calls, enums, types, a launch; both CUDA headers map to one HIP header.
// EXPECT: CH007
#include <cstdio>
#include <hip/hip_runtime.h>

__global__ void scale(float *x, float a, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] *= a;
}

int run(float *host, int n)
{
    float *dev = nullptr;   // cudaMalloc in a comment stays
    hipStream_t stream;
    hipStreamCreate(&stream);
    hipError_t err = hipMalloc((void **)&dev, n * sizeof(float));
    if (err != hipSuccess) {
        printf("cudaMalloc failed: %s\n", hipGetErrorString(err));
        return 1;
    }
    hipMemcpyAsync(dev, host, n * sizeof(float), hipMemcpyHostToDevice, stream);
    scale<<<(n + 255) / 256, 256, 0, stream>>>(dev, 2.0f, n);
    hipMemcpy(host, dev, n * sizeof(float), hipMemcpyDeviceToHost);
    hipFree(dev);
    hipStreamDestroy(stream);
    return 0;
}
