// saxpy: y = a * x + y, one thread per element.
// Exercises: the simplest elementwise kernel, an in/out buffer, a float scalar argument,
// a bounds check for sizes that are not a multiple of the block.
__global__ void saxpy(int n, float a, const float *x, float *y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        y[i] = a * x[i] + y[i];
}
