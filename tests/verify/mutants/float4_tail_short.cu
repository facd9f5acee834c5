// mutant: corpus=float4/float4_ops kernel=add_float4_tail fault=skipped tail (last element of the remainder)
__global__ void add_float4_tail(const float *a, const float *b, float *c, int n)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    int first = 4 * t;
    if (first + 3 < n) {
        float4 va = reinterpret_cast<const float4 *>(a)[t];
        float4 vb = reinterpret_cast<const float4 *>(b)[t];
        reinterpret_cast<float4 *>(c)[t] = make_float4(va.x + vb.x, va.y + vb.y, va.z + vb.z, va.w + vb.w);
    } else {
        for (int k = first; k < n - 1; ++k)
            c[k] = a[k] + b[k];
    }
}
