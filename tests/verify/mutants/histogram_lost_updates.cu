// mutant: corpus=histogram/histogram kernel=histogram_shared fault=race (global merge without atomics)
#define NBINS 256

__global__ void histogram_shared(const unsigned char *data, unsigned int *bins, int n)
{
    __shared__ unsigned int local[NBINS];
    for (int b = threadIdx.x; b < NBINS; b += blockDim.x)
        local[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
        atomicAdd(&local[data[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < NBINS; b += blockDim.x)
        if (local[b] != 0)
            bins[b] = local[b];
}
