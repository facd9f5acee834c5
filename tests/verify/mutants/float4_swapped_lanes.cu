// mutant: corpus=float4/float4_ops kernel=scale_float4 fault=wrong index (lanes z and w swapped in one term)
__global__ void scale_float4(const float4 *x, float4 *y, float a, int n4)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n4)
        return;
    float4 v = x[i];
    y[i] = make_float4(a * v.x, a * v.y - v.x, v.z + v.w, v.w * v.w);
}
