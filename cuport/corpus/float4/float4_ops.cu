// Vectorised loads and stores through float4.
// scale_float4: each thread maps one float4 to a float4 whose lanes mix differently, so a port
// that swaps or drops lanes fails.
// add_float4_tail: c = a + b on plain float arrays read as float4, with a scalar tail for n % 4.
// Exercises: float4 parameters, make_float4, .x/.y/.z/.w, reinterpret_cast to float4 pointers
// (16-byte aligned allocations), a scalar remainder path.
__global__ void scale_float4(const float4 *x, float4 *y, float a, int n4)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n4)
        return;
    float4 v = x[i];
    y[i] = make_float4(a * v.x, a * v.y - v.x, v.z + v.w, v.w * v.z);
}

__global__ void add_float4_tail(const float *a, const float *b, float *c, int n)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    int first = 4 * t;
    if (first + 3 < n) {
        float4 va = reinterpret_cast<const float4 *>(a)[t];
        float4 vb = reinterpret_cast<const float4 *>(b)[t];
        reinterpret_cast<float4 *>(c)[t] = make_float4(va.x + vb.x, va.y + vb.y, va.z + vb.z, va.w + vb.w);
    } else {
        for (int k = first; k < n; ++k)
            c[k] = a[k] + b[k];
    }
}
