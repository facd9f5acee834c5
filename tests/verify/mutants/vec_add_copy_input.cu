// mutant: corpus=elementwise/vector_math kernel=vec_add fault=copies an input (drops b)
__global__ void vec_add(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i];
}
