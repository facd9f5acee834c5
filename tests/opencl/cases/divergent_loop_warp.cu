// A shuffle in a loop whose trip count depends on the thread, under a thread-dependent `if`:
// the lanes would not meet at the same shuffle, so it is refused (CO007).
__global__ void divergent_loop(const float *x, float *out, int n)
{
    float v = x[threadIdx.x];
    if (threadIdx.x < 32) {
        for (int k = threadIdx.x; k < n; k += 32)
            v += __shfl_xor_sync(0xffffffff, v, 1);
    }
    out[threadIdx.x] = v;
}

/* EXPECT-NOT-PORTED CO007 */
