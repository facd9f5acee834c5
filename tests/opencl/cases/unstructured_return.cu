// A return inside a loop before a barrier cannot be predicated: refused (CO007), never emitted.
__global__ void bad(const float *x, float *y, int n)
{
    __shared__ float s[64];
    for (int k = 0; k < 4; ++k) {
        if (threadIdx.x + k >= n)
            return;
    }
    s[threadIdx.x] = x[threadIdx.x];
    __syncthreads();
    y[threadIdx.x] = s[63 - threadIdx.x];
}

/* EXPECT-NOT-PORTED CO007 */
