// mutant: corpus=elementwise/vector_math kernel=vec_add fault=zeros written
__global__ void vec_add(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = 0.0f;
}
