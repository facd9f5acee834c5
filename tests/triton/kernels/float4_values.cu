// float4/int2 values held whole in locals: assigned whole, chosen by ?:, passed to and returned
// from device functions, built by make_float4: each is scalarised into one local per lane.
__device__ float4 scale4(float4 v, float s)
{
    float4 r = make_float4(v.x * s, v.y * s, v.z * s, v.w * s);
    return r;
}

__device__ float4 add4(float4 a, float4 b)
{
    return make_float4(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w);
}

__global__ void float4_values(const float4 *in, float4 *out, int2 *idx, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float4 v = in[i];
        float4 acc;
        acc = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        for (int k = 0; k < 3; ++k) {
            acc = add4(acc, scale4(v, (float)(k + 1)));
        }
        float4 w = acc;
        if (v.x > 0.0f) {
            w = v;
        }
        float4 c = (v.y > v.z) ? w : acc;
        out[i] = add4(c, w);
        int2 j = make_int2(i, -i);
        int2 jj = j;
        jj.y += 1;
        idx[i] = jj;
    }
}
