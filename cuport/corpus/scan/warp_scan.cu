// Per-block inclusive scan built from warp scans: __shfl_up_sync inside each warp, then the
// first warp scans the warp totals and every warp adds its prefix.
// Exercises: __shfl_up_sync with 0xffffffff and a `lane >= offset` guard, lane/warp math with
// & 31 and / 32, and a block of 256 = 8 full warps (all lanes present for the full mask).
#define BLOCK 256

__global__ void warp_inclusive_scan(const int *in, int *out, int n)
{
    __shared__ int warp_totals[BLOCK / 32];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x / 32;
    int v = i < n ? in[i] : 0;
    for (int offset = 1; offset < 32; offset <<= 1) {
        int up = __shfl_up_sync(0xffffffff, v, offset);
        if (lane >= offset)
            v += up;
    }
    if (lane == 31)
        warp_totals[warp] = v;
    __syncthreads();
    if (warp == 0) {
        int t = lane < BLOCK / 32 ? warp_totals[lane] : 0;
        for (int offset = 1; offset < BLOCK / 32; offset <<= 1) {
            int up = __shfl_up_sync(0xffffffff, t, offset);
            if (lane >= offset)
                t += up;
        }
        if (lane < BLOCK / 32)
            warp_totals[lane] = t;
    }
    __syncthreads();
    if (warp > 0)
        v += warp_totals[warp - 1];
    if (i < n)
        out[i] = v;
}
