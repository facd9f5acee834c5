// A shuffle under thread-dependent control: refused with CO002, never silently wrong.
__global__ void divergent(const float *x, float *out)
{
    float v = x[threadIdx.x];
    if (threadIdx.x < 32)
        v += __shfl_xor_sync(0xffffffff, v, 1);
    out[threadIdx.x] = v;
}

/* EXPECT-NOT-PORTED CO002 */
