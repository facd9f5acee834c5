// mutant: corpus=elementwise/saxpy kernel=saxpy fault=wrong operator (a*x - y)
__global__ void saxpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] - y[i];
}
