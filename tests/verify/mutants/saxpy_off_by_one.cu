// mutant: corpus=elementwise/saxpy kernel=saxpy fault=off-by-one bound (writes one past the end)
__global__ void saxpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i <= n)
        y[i] = a * x[i] + y[i];
}
