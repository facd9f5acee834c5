// Pointer arithmetic on a float3 buffer would need CUDA's 12-byte stride: refused (CO001).
__global__ void shift3(const float3 *p, float3 *q, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    const float3 *r = p + 1;
    if (i + 1 < n)
        q[i] = r[i];
}

/* EXPECT-NOT-PORTED CO001 */
