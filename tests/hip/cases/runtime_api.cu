// Host code: runtime calls, enums, types, a launch; both CUDA headers map to one HIP header.
// EXPECT: CH007
#include <cstdio>
#include <cuda_runtime.h>
#include <cuda.h>

__global__ void scale(float *x, float a, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] *= a;
}

int run(float *host, int n)
{
    float *dev = nullptr;   // cudaMalloc in a comment stays
    cudaStream_t stream;
    cudaStreamCreate(&stream);
    cudaError_t err = cudaMalloc((void **)&dev, n * sizeof(float));
    if (err != cudaSuccess) {
        printf("cudaMalloc failed: %s\n", cudaGetErrorString(err));
        return 1;
    }
    cudaMemcpyAsync(dev, host, n * sizeof(float), cudaMemcpyHostToDevice, stream);
    scale<<<(n + 255) / 256, 256, 0, stream>>>(dev, 2.0f, n);
    cudaMemcpy(host, dev, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dev);
    cudaStreamDestroy(stream);
    return 0;
}
