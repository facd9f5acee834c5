// mutant: corpus=elementwise/vector_math kernel=vec_add fault=skipped tail (only whole blocks)
__global__ void vec_add(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n / 128 * 128)
        c[i] = a[i] + b[i];
}
