// Histograms: straight global atomics, and a privatised per-block histogram in shared memory.
// Exercises: integer atomicAdd on global and on __shared__ memory, loops strided by blockDim
// with a 100-thread block (256 bins do not divide evenly), unsigned char input.
__global__ void histogram_global(const int *data, unsigned int *bins, int n, int nbins)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        atomicAdd(&bins[data[i] % nbins], 1u);
}

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
            atomicAdd(&bins[b], local[b]);
}
