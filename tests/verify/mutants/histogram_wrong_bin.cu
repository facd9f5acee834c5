// mutant: corpus=histogram/histogram kernel=histogram_global fault=wrong index (bin shifted by one)
__global__ void histogram_global(const int *data, unsigned int *bins, int n, int nbins)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        atomicAdd(&bins[(data[i] + 1) % nbins], 1u);
}
